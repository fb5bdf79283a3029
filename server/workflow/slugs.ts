// Workflow and step identity. A workflow is addressed by a kebab-case slug (URLs, CLI,
// SQL); a step by the snake_case of its name, because `steps.<slug>` must be a plain
// name inside expressions.

/** Words jsonata reads as operators or literals; a step slug must not be one of them. */
const reservedWords = new Set(['and', 'or', 'in', 'true', 'false', 'null', 'function']);

function words(name: string): string[] {
  // Strip accents (Café -> Cafe) so the common case still gives a readable slug.
  const folded = name.normalize('NFKD').replace(/\p{M}+/gu, '');
  return folded
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
}

/**
 * Kebab-case slug of a workflow name, ASCII letters and digits only (it appears in URLs).
 * Returns '' when the name has none; callers ask for an explicit `slug:` then.
 *
 * @example workflowSlug('Customer Onboarding') // 'customer-onboarding'
 */
export function workflowSlug(name: string): string {
  return words(name)
    .map((word) => word.replace(/[^a-z0-9]/g, ''))
    .filter(Boolean)
    .join('-');
}

/**
 * snake_case slug of a step name, usable as `steps.<slug>` in expressions. Unicode letters
 * are kept; a slug that would start with a digit or be an expression keyword gets a
 * `step_` prefix. Returns '' when the name has no letters or digits.
 *
 * @example stepSlug('Check Inventory') // 'check_inventory'
 * @example stepSlug('1st Reminder')    // 'step_1st_reminder'
 */
export function stepSlug(name: string): string {
  const slug = words(name).join('_');
  if (slug === '') return '';
  return /^\p{N}/u.test(slug) || reservedWords.has(slug) ? `step_${slug}` : slug;
}

/** Workflow slugs given explicitly must already be kebab-case. */
export const workflowSlugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
