// The one cache of compiled templates. Compiling costs far more than evaluating, and a
// workflow evaluates the same templates on every run, so every caller outside this
// folder asks here instead of keeping a map of its own.
//   - text templates (conditions, keys) are cached by their text, in a bounded LRU:
//     sources come from workflow versions and can be many;
//   - structured templates (an action's params, a webhook's `respond:`) are cached by
//     the identity of the definition object they belong to (`owner`), which lives as
//     long as its loaded workflow version and is never changed after parsing.
import { LruCache } from './lru-cache.js';
import { compileTemplate, type CompiledTemplate } from './template.js';

const byText = new LruCache<string, CompiledTemplate>(5000);
const byOwner = new WeakMap<object, CompiledTemplate>();

/**
 * The compiled form of `source`, compiled at most once.
 * @param owner the definition object `source` is taken from; required when `source`
 *   is not a string (it is the cache key, so `source` may be a fresh object each call)
 * @example cachedTemplate('{{trigger.data.customer}}')
 * @example cachedTemplate({ headers, body }, respond)
 */
export function cachedTemplate(source: unknown, owner?: object): CompiledTemplate {
  if (owner !== undefined) {
    let compiled = byOwner.get(owner);
    if (!compiled) {
      compiled = compileTemplate(source);
      byOwner.set(owner, compiled);
    }
    return compiled;
  }
  if (typeof source !== 'string') return compileTemplate(source);
  let compiled = byText.get(source);
  if (!compiled) {
    compiled = compileTemplate(source);
    byText.set(source, compiled);
  }
  return compiled;
}
