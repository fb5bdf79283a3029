// An example plugin: a `slugify` action that turns text into a URL slug
// ("Crème Brûlée Recipe!" -> "creme-brulee-recipe").
//
// Put a file like this in the plugins folder (KHAOSFLOW_PLUGINS, default ./plugins)
// and use it in a workflow:
//
//   - name: Make slug
//     action:
//       type: slugify
//       text: "{{trigger.data.title}}"
//       max_length: 60
//
// The result is `steps.make_slug.result.slug`. defineAction only gives the object its
// type; a plugin outside this repository can export the same object without it.
import { z } from 'zod';
import { defineAction } from '../../server/core/action.js';

export const slugifyParams = z.object({
  text: z.string().describe('the text to turn into a slug'),
  separator: z.enum(['-', '_', '.']).default('-').describe('what joins the words'),
  max_length: z
    .number()
    .int()
    .min(1)
    .max(200)
    .optional()
    .describe('cut the slug to at most this many characters, at a word boundary when possible'),
});

export type SlugifyParams = z.infer<typeof slugifyParams>;

/** The pure function behind the action, exported for its own tests. */
export function slugify(text: string, separator = '-', maxLength?: number): string {
  const words = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents split off by NFKD
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let slug = words.join(separator);
  if (maxLength !== undefined && slug.length > maxLength) {
    const cut = slug.slice(0, maxLength + 1);
    const boundary = cut.lastIndexOf(separator);
    slug = boundary > 0 ? cut.slice(0, boundary) : slug.slice(0, maxLength);
  }
  return slug;
}

export default defineAction<SlugifyParams>({
  type: 'slugify',
  title: 'Slugify text',
  params: slugifyParams,
  // No effect outside the run: the engine may checkpoint it together with the next step.
  pure: true,
  async run(ctx, params) {
    const slug = slugify(params.text, params.separator, params.max_length);
    if (slug === '') ctx.log('warn', 'the text has no letters or digits; the slug is empty');
    return { slug };
  },
});
