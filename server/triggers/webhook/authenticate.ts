// Who may start a webhook run. `api_key`: a KhaosFlow API key with the webhook scope
// (only its hash is stored; verifyApiKey compares in constant time). `hmac`: a
// configurable HMAC (senders/hmac.ts). `github`, `stripe`, `shopify`, `slack`,
// `standard_webhooks`: each sender's own signature (senders/<name>.ts). `none`: anyone.
// Every named secret is accepted (rotation: `secrets: [new, old]`), and a secret may
// hold several keys, one per line.
import { verifyApiKey } from '../../api-keys/verify.js';
import { HttpError } from '../../core/http-error.js';
import type { Services } from '../../services.js';
import type { WebhookTrigger } from '../../workflow/types.js';
import { githubCredentialHeaders, verifyGithub } from './senders/github.js';
import { hmacCredentialHeaders, verifyHmac } from './senders/hmac.js';
import { shopifyCredentialHeaders, verifyShopify } from './senders/shopify.js';
import { slackCredentialHeaders, verifySlack } from './senders/slack.js';
import { standardWebhooksCredentialHeaders, verifyStandardWebhooks } from './senders/standard-webhooks.js';
import { stripeCredentialHeaders, verifyStripe } from './senders/stripe.js';
import { header, type SignedRequest, type Verified } from './senders/verify.js';

type Authentication = WebhookTrigger['authentication'];
type SecretAuthentication = Extract<Authentication, { secret?: string | undefined }>;

export type WebhookRequest = SignedRequest;

/** Who sent a request, as far as the authentication can tell. */
export interface WebhookCaller extends Verified {
  /**
   * The credential that was presented (an API key's prefix, or the secret whose key
   * signed): caller-chosen Idempotency-Keys are scoped to it. Null when nothing is checked.
   */
  credential: string | null;
}

/** Headers that carry credentials: never copied into trigger.headers (runs are readable by anyone with read access). */
export function credentialHeaders(auth: Authentication): string[] {
  const always = ['authorization', 'proxy-authorization', 'cookie'];
  switch (auth.type) {
    case 'none':
      return always;
    case 'api_key':
      return [...always, auth.header.toLowerCase()];
    case 'hmac':
      return [...always, ...hmacCredentialHeaders(auth), auth.timestamp_header.toLowerCase()];
    case 'github':
      return [...always, ...githubCredentialHeaders];
    case 'stripe':
      return [...always, ...stripeCredentialHeaders];
    case 'shopify':
      return [...always, ...shopifyCredentialHeaders];
    case 'slack':
      return [...always, ...slackCredentialHeaders];
    case 'standard_webhooks':
      return [...always, ...standardWebhooksCredentialHeaders];
  }
}

/**
 * Throws HttpError 401/403 when the request may not start a run of `slug`, 500 when the
 * webhook is configured with a secret that does not exist.
 */
export async function authenticateWebhook(
  services: Services,
  slug: string,
  auth: Authentication,
  req: WebhookRequest,
): Promise<WebhookCaller> {
  if (auth.type === 'none') return { credential: null };
  if (auth.type === 'api_key') {
    const presented = header(req, auth.header) ?? header(req, 'authorization');
    const check = await verifyApiKey(services.db, presented, { workflowSlug: slug, scope: 'webhook' });
    if (check.ok) return { credential: `key:${check.key.prefix}` };
    const message =
      check.reason === 'malformed'
        ? `Send an API key with the webhook scope in the ${auth.header} header (create one with \`khaosflow keys create --workflow ${slug}\`).`
        : check.message;
    const status = check.reason === 'scope' || check.reason === 'workflow' ? 403 : 401;
    throw new HttpError(status, 'unauthorized', message);
  }
  const names = secretNames(auth);
  const keys = await signingKeys(services, names);
  const described = names.length === 1 ? `the secret "${names[0]}"` : `one of the secrets ${names.map((n) => `"${n}"`).join(', ')}`;
  const verified = verifySender(auth, req, keys, described);
  return { credential: `secret:${names.join(',')}`, ...verified };
}

function verifySender(
  auth: Exclude<Authentication, { type: 'none' | 'api_key' }>,
  req: WebhookRequest,
  keys: string[],
  described: string,
): Verified {
  switch (auth.type) {
    case 'hmac':
      return verifyHmac(req, keys, described, auth);
    case 'github':
      return verifyGithub(req, keys, described);
    case 'stripe':
      return verifyStripe(req, keys, described, auth.tolerance);
    case 'shopify':
      return verifyShopify(req, keys, described);
    case 'slack':
      return verifySlack(req, keys, described, auth.tolerance);
    case 'standard_webhooks':
      return verifyStandardWebhooks(req, keys, described, auth.tolerance);
  }
}

function secretNames(auth: SecretAuthentication): string[] {
  return [...(auth.secrets ?? []), ...(auth.secret ? [auth.secret] : [])];
}

async function signingKeys(services: Services, names: string[]): Promise<string[]> {
  const keys: string[] = [];
  for (const name of names) {
    const stored = await services.secrets.get(name);
    if (stored === undefined) {
      throw new HttpError(
        500,
        'webhook_misconfigured',
        `This webhook verifies signatures with the secret "${name}", which does not exist; set it with \`khaosflow secrets set ${name}\`.`,
      );
    }
    keys.push(
      ...stored
        .split(/\r?\n/)
        .map((k) => k.trim())
        .filter(Boolean),
    );
  }
  return keys;
}
