// Data for the flow builder (a resource route, no page): GET gives the palette (every
// trigger and action type with its schema, templates) and the names forms offer; POST
// checks a draft with the validator that saving and `khaosflow validate` use.
import { validateWorkflowText } from '../../server/workflows/authoring.js';
import { builderCatalog, learnRegisteredActions } from '../../server/workflows/builder-catalog.js';
import { requireRole, servicesOf } from '../context';
import type { Route } from './+types/builder';

export async function loader({ context }: Route.LoaderArgs) {
  requireRole(context, 'editor', 'build workflows');
  return builderCatalog(servicesOf(context));
}

export async function action({ context, request }: Route.ActionArgs) {
  requireRole(context, 'editor', 'build workflows');
  const form = await request.formData();
  learnRegisteredActions(servicesOf(context));
  return validateWorkflowText(String(form.get('yaml') ?? ''));
}
