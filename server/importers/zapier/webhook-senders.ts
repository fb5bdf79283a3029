// Which sender signs a zap's incoming webhooks, where the export says so: an app
// trigger of GitHub, Stripe, Shopify or Slack (the app itself posts the events), or a
// Webhooks by Zapier catch hook whose step title names the sending app ("Catch Hook
// from Stripe"). The webhook trigger then verifies that sender's signature
// (server/triggers/README.md, authentication types) with a secret the user creates.
import { SENDER_SECRET_HINTS } from '../../workflow/schema/triggers.js';
import { appKey } from './naming.js';
import type { ZapNode } from './types.js';

export type SenderType = keyof typeof SENDER_SECRET_HINTS;

const senders: { type: SenderType; app: RegExp; words: RegExp }[] = [
  { type: 'github', app: /^GitHub/i, words: /\bgit ?hub\b/i },
  { type: 'stripe', app: /^Stripe/i, words: /\bstripe\b/i },
  { type: 'shopify', app: /^Shopify/i, words: /\bshopify\b/i },
  { type: 'slack', app: /^Slack/i, words: /\bslack\b/i },
  { type: 'standard_webhooks', app: /^Svix/i, words: /\b(svix|standard webhooks)\b/i },
];

/** The sender of an app trigger (the app), or of a catch hook whose title names exactly one known sender. */
export function webhookSender(node: ZapNode, catchHook: boolean): SenderType | undefined {
  if (!catchHook) return senders.find((s) => s.app.test(appKey(node.app)))?.type;
  const named = senders.filter((s) => s.words.test(node.title ?? ''));
  return named.length === 1 ? named[0]!.type : undefined;
}

/** The authentication block, the secret to create and the note saying where to find its value. */
export function senderAuthentication(type: SenderType, workflowSlug: string) {
  const secret = `${workflowSlug.replace(/-/g, '_')}_${type === 'standard_webhooks' ? 'webhook' : type}_secret`;
  return {
    authentication: { type, secret },
    secret,
    note: `the requests are verified as ${type} signs them (authentication type ${type}); create the secret with \`khaosflow secrets set ${secret}\` - ${SENDER_SECRET_HINTS[type]}`,
  };
}
