// Every other app. An action with a known API shape (app-apis.ts) becomes an
// http_request that needs review (the secret to create, the fields to check); any other
// action becomes a warning log step carrying the original params, so the run history
// shows what was not imported. An app trigger becomes a webhook trigger the app (or a
// relay) posts its events to.
import { stepSlug } from '../../workflow/index.js';
import { apiShapes } from './app-apis.js';
import type { Conversion, NodeConverter, TriggerConversion, TriggerConverter, ZapContext } from './context.js';
import { actionLabel, appKey, appName } from './naming.js';
import type { TriggerObject, ZapNode } from './types.js';
import { senderAuthentication, webhookSender } from './webhook-senders.js';

const shapeOf = (node: ZapNode) => apiShapes[`${appKey(node.app)}:${node.action}`];

export const apiAppConverter: NodeConverter = {
  matches: (node) => shapeOf(node) !== undefined,
  convert(node: ZapNode, ctx: ZapContext): Conversion {
    const name = ctx.stepName(node);
    const call = shapeOf(node)!(node, ctx);
    ctx.outputs.set(node.id, { kind: 'step', slug: stepSlug(name), base: ['body'] });
    const notes = [
      `KhaosFlow has no ${appName(node.app)} action: this calls the ${call.endpoint} API directly${call.secret ? ` with the secret ${call.secret} (khaosflow secrets set ${call.secret})` : ''}`,
      ...call.notes,
    ];
    return {
      steps: [{ name, action: call.action }],
      status: 'needs_review',
      became: { name, type: 'http_request' },
      notes,
      secrets: call.secret ? [call.secret] : [],
    };
  },
};

export const unsupportedAppConverter: NodeConverter = {
  matches: () => true,
  convert(node: ZapNode, ctx: ZapContext): Conversion {
    const name = ctx.stepName(node);
    const what = `${appName(node.app)} "${actionLabel(node.action)}" (${node.app} ${node.action})`;
    ctx.outputs.set(node.id, { kind: 'none', why: `node ${node.id} (${what}) was not imported` });
    const message = `Not imported from Zapier: ${what} has no KhaosFlow counterpart yet; replace this step (see migration-report.md).`;
    return {
      steps: [{ name, action: { type: 'log', level: 'warn', message, data: ctx.template(node, node.params) } }],
      status: 'unsupported',
      became: { name, type: 'log' },
      notes: [
        `${what} has no KhaosFlow action or known API shape; it became a warning log step carrying its params - replace it with an http_request to the app's API`,
      ],
    };
  },
};

export const appTrigger: TriggerConverter = {
  matches: () => true,
  convert(node: ZapNode, ctx: ZapContext): TriggerConversion {
    const path = `/${ctx.workflowSlug}`;
    const app = appName(node.app);
    ctx.outputs.set(node.id, { kind: 'trigger' });
    const trigger: TriggerObject = { type: 'webhook', path };
    const notes = [
      `KhaosFlow has no ${app} trigger: have ${app} (or a relay) POST each "${actionLabel(node.action)}" event to /hooks${path}`,
      `the steps read the fields Zapier gave (e.g. trigger.data.<field>); make the posted JSON use the same names or change the references`,
    ];
    if (appKey(node.app) === 'SlackAPI') {
      // Slack's Events API proves the URL with a url_verification request whose challenge must be echoed.
      trigger.respond = { status: 200, body: { challenge: '{{trigger.data.challenge}}' } };
      notes.push(
        'for the Slack Events API, use /hooks' +
          path +
          ' as the request URL: the trigger echoes its url_verification challenge; Slack sends the event under trigger.data.event, with ids rather than the names Zapier looked up',
      );
    }
    const labels = Object.entries(node.paramLabels).filter(([, label]) => typeof label === 'string' && label !== '');
    if (Object.keys(node.params).length) {
      notes.push(
        `Zapier's trigger settings: ${Object.entries(node.params)
          .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
          .join(', ')}${labels.length ? ` (${labels.map(([key, label]) => `${key}: ${String(label)}`).join(', ')})` : ''}`,
      );
    }
    // GitHub, Stripe, Shopify and Slack sign what they post: verify it as they sign it.
    const sender = webhookSender(node, false);
    if (!sender) return { trigger, type: 'webhook trigger', status: 'needs_review', notes };
    const signed = senderAuthentication(sender, ctx.workflowSlug);
    trigger.authentication = signed.authentication;
    return {
      trigger,
      type: `webhook trigger (${sender} signature)`,
      status: 'needs_review',
      notes: [...notes, signed.note],
      secrets: [signed.secret],
    };
  },
};
