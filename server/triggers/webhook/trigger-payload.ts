// What a webhook request becomes: the run's `trigger` ({data, headers, query, method,
// path}) and its dedupe key, so a sender's retry of one delivery starts one run.
import { cachedTemplate } from '../../expression/template-cache.js';
import { HttpError } from '../../core/http-error.js';
import type { WebhookTrigger } from '../../workflow/types.js';

export interface WebhookPayload {
  data: unknown;
  /** Lower-cased names, credentials removed. */
  headers: Record<string, string>;
  query: Record<string, string | string[]>;
  method: string;
  path: string;
}

export function visibleHeaders(headers: Record<string, string | string[] | undefined>, hidden: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || hidden.includes(name)) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

const MAX_KEY_LENGTH = 255;

/** What the caller's authentication tells the dedupe key (see authenticate.ts). */
export interface DedupeSources {
  /** The `Idempotency-Key` header. */
  idempotencyKey?: string | undefined;
  /** The sender's delivery id (X-GitHub-Delivery, webhook-id, ...). */
  deliveryId?: string | undefined;
  /** The credential presented; a caller's Idempotency-Key only matches runs started with the same credential. */
  credential?: string | null | undefined;
}

/**
 * The trigger's `dedupe_key` evaluated over the request when it has one, else the
 * sender's delivery id, else the `Idempotency-Key` header scoped to the caller's
 * credential (so one caller's key never returns another caller's run); null when
 * none gives a key (every request runs).
 */
export async function webhookDedupeKey(
  trigger: WebhookTrigger,
  payload: WebhookPayload,
  sources: DedupeSources = {},
): Promise<string | null> {
  let key: string | null = null;
  let source: 'dedupe' | 'delivery' | 'idempotency';
  if (trigger.dedupe_key !== undefined) {
    source = 'dedupe';
    const template = cachedTemplate(trigger.dedupe_key);
    let value: unknown;
    try {
      value = await template.evaluate({ trigger: payload });
    } catch (err) {
      throw new HttpError(
        400,
        'bad_request',
        `The webhook's dedupe_key ${trigger.dedupe_key} could not be computed from this request: ${(err as Error).message}`,
      );
    }
    if (value !== undefined && value !== null && value !== '') key = typeof value === 'string' ? value : JSON.stringify(value);
  } else if (sources.deliveryId) {
    source = 'delivery';
    key = sources.deliveryId;
  } else {
    source = 'idempotency';
    key = sources.idempotencyKey?.trim() || null;
  }
  if (key === null) return null;
  if (key.length > MAX_KEY_LENGTH) {
    throw new HttpError(
      400,
      'bad_request',
      `The ${source === 'dedupe' ? 'dedupe key' : source === 'delivery' ? 'delivery id' : 'Idempotency-Key'} is ${key.length} characters long; at most ${MAX_KEY_LENGTH} are allowed.`,
    );
  }
  if (source === 'idempotency') return `webhook:idempotency:${sources.credential ?? 'anyone'}:${key}`;
  return `webhook:${source}:${key}`;
}
