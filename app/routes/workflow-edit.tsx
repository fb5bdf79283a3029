// /workflows/<slug>/edit: the editor moved onto the workflow's own page; old links and
// bookmarks land there.
import { redirect } from 'react-router';
import type { Route } from './+types/workflow-edit';

export function loader({ params }: Route.LoaderArgs) {
  throw redirect(`/workflows/${encodeURIComponent(params.slug)}`, 301);
}
