// Email templates as the API and the console manage them, with a preview that renders
// one with sample data exactly as send_email would.
import { z } from 'zod';
import { renderEmailPart } from '../email-templates/render.js';
import { TEMPLATE_NAME } from '../email-templates/store.js';
import { badRequest, notFound } from '../core/http-error.js';
import type { Services } from '../services.js';
import { parseInput } from './input.js';

type Deps = Pick<Services, 'emailTemplates'>;

export const templateInput = z
  .object({ subject: z.string().min(1, 'the subject is empty'), html: z.string().optional(), text: z.string().optional() })
  .strict()
  .refine((t) => t.html !== undefined || t.text !== undefined, 'give html, text or both');
export const previewInput = z.object({ data: z.record(z.string(), z.unknown()).default({}) }).strict();

function checkTemplateName(name: string): void {
  if (!TEMPLATE_NAME.test(name)) throw badRequest(`Email template name "${name}" may hold letters, digits, _ and - only.`);
}

export async function listTemplates(deps: Deps) {
  return { templates: await deps.emailTemplates.list() };
}

export async function getTemplate(deps: Deps, name: string) {
  const template = await deps.emailTemplates.get(name);
  if (!template) throw notFound(`Email template "${name}"`);
  return template;
}

export async function putTemplate(deps: Deps, name: string, body: unknown) {
  checkTemplateName(name);
  const input = parseInput('email template', templateInput, body);
  const template = { name, subject: input.subject, html: input.html ?? null, text: input.text ?? null };
  try {
    await deps.emailTemplates.set(template);
  } catch (err) {
    throw badRequest((err as Error).message);
  }
  return template;
}

export async function deleteTemplate(deps: Deps, name: string): Promise<void> {
  if (!(await deps.emailTemplates.delete(name))) throw notFound(`Email template "${name}" (in the database)`);
}

/** Renders a stored template (or, with `draft`, unsaved text) with sample data. */
export async function previewTemplate(
  deps: Deps,
  name: string,
  body: unknown,
  draft?: { subject: string; html: string | null; text: string | null },
) {
  const { data } = parseInput('preview', previewInput, body);
  const template = draft ?? (await getTemplate(deps, name));
  try {
    return {
      subject: await renderEmailPart(template.subject, data),
      html: template.html === null ? null : await renderEmailPart(template.html, data, { html: true }),
      text: template.text === null ? null : await renderEmailPart(template.text, data),
    };
  } catch (err) {
    throw badRequest(`The template does not render: ${(err as Error).message}`);
  }
}
