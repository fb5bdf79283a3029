// Webhooks by Zapier (WebHookAPI). Catch hooks become a webhook trigger served at
// POST /hooks/<workflow slug>; polling becomes a schedule plus a GET; POST, PUT, GET
// and custom requests become http_request steps whose answer's fields are read as
// `steps.<slug>.result.body.<field>`.
import { stepSlug } from '../../workflow/index.js';
import type { Conversion, NodeConverter, TriggerConversion, TriggerConverter, ZapContext } from './context.js';
import { appKey } from './naming.js';
import type { StepObject, TriggerObject, ZapNode } from './types.js';
import { senderAuthentication, webhookSender } from './webhook-senders.js';

const isWebhooks = (node: ZapNode) => appKey(node.app) === 'WebHookAPI';

/** Zapier's key/value fields arrive as objects, or as [{key, value}] lists. */
function pairs(value: unknown): Record<string, unknown> | undefined {
  if (Array.isArray(value)) {
    const entries = value
      .filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null && 'key' in item)
      .map((item) => [String(item.key), item.value] as const);
    return entries.length ? Object.fromEntries(entries) : undefined;
  }
  if (typeof value === 'object' && value !== null && Object.keys(value).length) return value as Record<string, unknown>;
  return undefined;
}

/** Zapier's "Unflatten" turns `a__b` keys into nested objects (its default). */
function unflatten(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    const names = key.split('__').filter(Boolean);
    let target = out;
    names.slice(0, -1).forEach((name) => {
      if (typeof target[name] !== 'object' || target[name] === null) target[name] = {};
      target = target[name] as Record<string, unknown>;
    });
    target[names.at(-1) ?? key] = value;
  }
  return out;
}

const textParam = (value: unknown) => (typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value));

/** The http_request params of a Zapier request node; notes and secrets are added to. */
export function requestAction(node: ZapNode, ctx: ZapContext, slug: string, notes: string[], secrets: string[]): Record<string, unknown> {
  const p = node.params;
  const method = (node.action === 'custom' || node.action === 'custom_request' ? textParam(p.method) || 'POST' : node.action).toUpperCase();
  const action: Record<string, unknown> = { type: 'http_request', method, url: ctx.template(node, textParam(p.url)) };
  const headers = pairs(p.headers);
  if (headers) action.headers = ctx.template(node, Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, textParam(v)])));
  const query = pairs(p.params);
  if (query) action.query = ctx.template(node, Object.fromEntries(Object.entries(query).map(([k, v]) => [k, textParam(v)])));
  const data = pairs(p.data);
  if (typeof p.data === 'string' && p.data !== '') {
    action.body = ctx.template(node, p.data);
    action.body_type = 'text';
  } else if (data && method !== 'GET') {
    const nested = String(p.unflatten ?? 'yes').toLowerCase() !== 'no' ? unflatten(data) : data;
    action.body = ctx.template(node, nested);
    const payload = String(p.payload_type ?? 'form').toLowerCase();
    action.body_type = payload === 'json' ? 'json' : payload === 'form' ? 'form' : 'text';
    if (payload !== 'json' && payload !== 'form') notes.push(`payload type "${payload}" is sent as text; check the Content-Type header`);
  }
  if (typeof p.basic_auth === 'string' && p.basic_auth.includes('|')) {
    const secret = `${slug}_password`;
    action.auth = { type: 'basic', username: ctx.template(node, p.basic_auth.split('|')[0]!), password: `{{secrets.${secret}}}` };
    secrets.push(secret);
    notes.push(`the basic-auth password is not copied into the workflow; create the secret ${secret}`);
  }
  if (p.file !== undefined && p.file !== '')
    notes.push('Zapier attached a file to this request; attach it with body_type: multipart ({file: path})');
  return action;
}

export const webhookRequestConverter: NodeConverter = {
  matches: (node) => isWebhooks(node) && ['post', 'put', 'get', 'patch', 'delete', 'custom', 'custom_request'].includes(node.action),
  convert(node: ZapNode, ctx: ZapContext): Conversion {
    const name = ctx.stepName(node, node.title ?? `Webhook ${node.action.replace('custom_request', 'custom').toUpperCase()}`);
    const slug = stepSlug(name);
    const notes: string[] = [];
    const secrets: string[] = [];
    ctx.outputs.set(node.id, { kind: 'step', slug, base: ['body'] });
    if (textParam(node.params.url).trim() === '') {
      const why = 'the export has no URL for this request, so it was not imported; add an http_request step with url:';
      return {
        steps: [
          {
            name,
            action: { type: 'log', level: 'warn', message: `Not imported from Zapier: ${why}`, data: ctx.template(node, node.params) },
          },
        ],
        status: 'unsupported',
        became: { name, type: 'log' },
        notes: [why],
      };
    }
    const action = requestAction(node, ctx, slug, notes, secrets);
    return {
      steps: [{ name, action }],
      status: notes.length ? 'needs_review' : 'converted',
      became: { name, type: 'http_request' },
      notes,
      secrets,
    };
  },
};

export const webhookTrigger: TriggerConverter = {
  matches: (node) => isWebhooks(node),
  convert(node: ZapNode, ctx: ZapContext): TriggerConversion {
    const path = `/${ctx.workflowSlug}`;
    if (node.action === 'retrieve_poll' || node.action === 'poll') return pollingTrigger(node, ctx);
    ctx.outputs.set(node.id, { kind: 'trigger' });
    const notes = [`send the requests to POST /hooks${path} on your KhaosFlow server instead of the hooks.zapier.com URL`];
    let status: TriggerConversion['status'] = 'converted';
    if (node.action === 'hook_raw' || node.action === 'catch_raw') {
      status = 'needs_review';
      notes.push(
        'Zapier handed this zap the raw body (raw_body) and headers; KhaosFlow gives the parsed body as trigger.data and the headers as trigger.headers - check the fields the steps read',
      );
    } else if (node.action !== 'hook' && node.action !== 'catch_hook') {
      status = 'needs_review';
      notes.push(`the Webhooks trigger "${node.action}" was imported as a catch hook`);
    }
    if (typeof node.params.pick_off === 'string' && node.params.pick_off !== '') {
      status = 'needs_review';
      notes.push(
        `Zapier kept only the child key "${node.params.pick_off}" of each request; read it as trigger.data.${node.params.pick_off}`,
      );
    }
    const trigger: TriggerObject = { type: 'webhook', path };
    const sender = webhookSender(node, true);
    if (!sender) return { trigger, type: 'webhook trigger', status, notes };
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

/** "Retrieve poll": Zapier fetched a URL every few minutes and started the zap per new item. */
function pollingTrigger(node: ZapNode, ctx: ZapContext): TriggerConversion & { steps: StepObject[] } {
  const name = ctx.stepName(node, node.title ?? 'Poll URL');
  const slug = stepSlug(name);
  const notes: string[] = [];
  const secrets: string[] = [];
  const action = requestAction({ ...node, action: 'get' }, ctx, slug, notes, secrets);
  ctx.outputs.set(node.id, { kind: 'step', slug, base: ['body'] });
  return {
    trigger: { type: 'schedule', cron: '*/15 * * * *', timezone: 'UTC' },
    type: `schedule trigger + http_request "${name}"`,
    status: 'needs_review',
    steps: [{ name, action }],
    notes: [
      'Zapier polled this URL and started the zap once per new item; the workflow fetches it every 15 minutes and its steps see the whole answer (no de-duplication)',
      ...notes,
    ],
  };
}
