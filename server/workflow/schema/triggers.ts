// What starts a run. One strict object per trigger type, discriminated by `type`.
// Cross-field rules that need more than zod (cron syntax, time zones, natural-language
// schedules) are checked in schedule/check-schedule.ts with positions.
import { z } from 'zod';
import { connectionName, duration, httpMethod, mailFilterFields, stringRecord, text } from '../../core/param-schemas.js';

const secretFields = {
  secret: text.optional().meta({ description: 'Name of the secret holding the signing key (`khaosflow secrets set NAME`).' }),
  secrets: z.array(text).min(1).optional().meta({ description: 'Several secret names, all accepted: for rotating the key.' }),
};
const hasSecret = (auth: { secret?: string | undefined; secrets?: string[] | undefined }) =>
  auth.secret !== undefined || auth.secrets !== undefined;
const needsSecret = (type: string) => ({
  error: `${type} needs secret: <name> (or secrets: [<name>, ...] while rotating)`,
  path: ['secret'],
});

/**
 * A sender that signs its webhooks its own way: only the secret is configured, the rest
 * (headers, message, encoding, delivery id) is fixed by the sender. `hint` says where
 * the sender shows the secret (docs and the JSON Schema repeat it).
 */
function senderAuthentication<T extends string>(type: T, hint: string) {
  return z.strictObject({ type: z.literal(type).meta({ description: hint }), ...secretFields }).refine(hasSecret, needsSecret(type));
}

/** Senders that sign a time as well: `tolerance` says how old it may be (their own default: 5 minutes). */
function timedSenderAuthentication<T extends string>(type: T, hint: string) {
  return z
    .strictObject({
      type: z.literal(type).meta({ description: hint }),
      ...secretFields,
      tolerance: duration.default(300_000).meta({ description: 'How far the signed time may be from the server clock (default 5m).' }),
    })
    .refine(hasSecret, needsSecret(type));
}

export const SENDER_SECRET_HINTS = {
  github: "GitHub: the webhook's Secret (repository or organization Settings > Webhooks); you choose it there.",
  stripe: "Stripe: the endpoint's Signing secret, whsec_... (Developers > Webhooks > the endpoint > Reveal).",
  shopify:
    "Shopify: the app's Client secret (Partner Dashboard or Dev Dashboard), or for admin-made webhooks the key shown under Settings > Notifications > Webhooks.",
  slack: "Slack: the app's Signing Secret (api.slack.com/apps > your app > Basic Information > App Credentials).",
  standard_webhooks:
    "Standard Webhooks (Svix and others): the endpoint's signing secret, whsec_... (shown by the sender for the endpoint).",
} as const;

const webhookAuthentication = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('none') }),
  z.strictObject({
    type: z.literal('api_key'),
    header: text.default('X-API-Key').meta({ description: 'Header carrying the key (keys are made with `khaosflow keys create`).' }),
  }),
  z
    .strictObject({
      type: z.literal('hmac'),
      header: text.default('X-KhaosFlow-Signature').meta({ description: 'Header carrying the signature.' }),
      ...secretFields,
      algorithm: z.enum(['sha256', 'sha1', 'sha512']).default('sha256'),
      encoding: z.enum(['hex', 'base64']).default('hex').meta({ description: 'How the digest is written in the header.' }),
      prefix: z.string().optional().meta({ description: 'Text before the digest in the header, e.g. "sha256=".' }),
      message: z
        .string()
        .regex(/^(?:[^{}]|\{(?:timestamp|body|method|path|query)\})*$/, {
          error: 'may only use the placeholders {timestamp}, {method}, {path}, {query} and {body}',
        })
        .refine((m) => m.includes('{body}'), { error: 'must contain {body}' })
        .default('{timestamp}.{body}')
        .meta({
          description:
            'What is signed: {timestamp}, {method}, {path} (e.g. /hooks/orders), {query} (raw query string) and {body} (raw bytes). Recommended for new hooks: "{timestamp}.{method}.{path}.{query}.{body}". "{body}" alone needs no timestamp header.',
        }),
      timestamp_header: text
        .default('X-KhaosFlow-Timestamp')
        .meta({ description: 'Header carrying the Unix time (seconds) that was signed, when the message has {timestamp}.' }),
      tolerance: duration.default(300_000).meta({ description: 'How far the signed time may be from the server clock (default 300s).' }),
    })
    .refine(hasSecret, needsSecret('hmac')),
  senderAuthentication('github', SENDER_SECRET_HINTS.github),
  timedSenderAuthentication('stripe', SENDER_SECRET_HINTS.stripe),
  senderAuthentication('shopify', SENDER_SECRET_HINTS.shopify),
  timedSenderAuthentication('slack', SENDER_SECRET_HINTS.slack),
  timedSenderAuthentication('standard_webhooks', SENDER_SECRET_HINTS.standard_webhooks),
]);

const respondObject = z.strictObject({
  mode: z
    .enum(['async', 'sync'])
    .default('async')
    .meta({ description: "sync: answer with the run's final output (falls back to 202 + Location after timeout)." }),
  timeout: duration.default(30_000).meta({ description: 'With mode sync: how long to wait for the run (default 30s).' }),
  status: z.number().int().min(200).max(299).default(202),
  headers: stringRecord.optional(),
  body: z.unknown().optional().meta({ description: 'Replaces {"run_id"}; {{trigger.*}} and {{run.id}} templates allowed.' }),
});

export const webhookTriggerSchema = z.strictObject({
  type: z.literal('webhook'),
  path: z
    .string()
    .regex(/^\/[A-Za-z0-9._~\-/]*$/, { error: 'must start with / and use only letters, digits and . _ ~ - /, e.g. /orders/new' })
    .optional()
    .meta({ description: 'Served at POST /hooks<path>; default /<workflow slug>.' }),
  method: httpMethod.default('POST'),
  url: z.string().optional().meta({ description: 'Informational: the public URL callers use.' }),
  authentication: webhookAuthentication.default({ type: 'none' }),
  respond: z
    .union([z.enum(['sync', 'async']).transform((mode) => respondObject.parse({ mode })), respondObject], {
      error: 'must be sync, async, or {mode, timeout, status, headers, body}',
    })
    .optional(),
  dedupe_key: z.string().optional().meta({
    description:
      'Template over the request; a second request with the same key starts no new run, e.g. "{{trigger.headers.`x-delivery-id`}}" (backticks: the name has dashes).',
  }),
});

export const scheduleTriggerSchema = z.strictObject({
  type: z.literal('schedule'),
  cron: z.string().optional().meta({ description: 'Five fields (minute hour day month weekday), or six with seconds first.' }),
  schedule: z.string().optional().meta({ description: 'Natural language instead of cron, e.g. "every weekday at 9am".' }),
  timezone: z.string().optional().meta({ description: 'IANA time zone, default UTC.' }),
  catch_up: z
    .union([z.boolean(), z.enum(['none', 'latest', 'all'])], { error: 'must be none, latest, all, true (= latest) or false (= none)' })
    .optional()
    .meta({ description: 'Runs missed while KhaosFlow was down: latest (default: the last missed tick once), all, or none.' }),
});

const manualParameter = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be a name like environment (letters, digits, _)' }),
    type: z.enum(['string', 'number', 'boolean', 'select']).default('string'),
    label: z.string().optional(),
    description: z.string().optional(),
    options: z
      .array(z.union([z.string(), z.number()]))
      .min(1)
      .optional(),
    required: z.boolean().default(false),
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
  })
  .superRefine((parameter, ctx) => {
    if (parameter.type === 'select' && !parameter.options) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'a select parameter needs options, e.g. options: [dev, staging, prod]' });
    }
    if (parameter.type !== 'select' && parameter.options) {
      ctx.addIssue({
        code: 'custom',
        path: ['options'],
        message: `options only apply to type select (this parameter is ${parameter.type})`,
      });
    }
    if (parameter.default !== undefined && !defaultFits(parameter)) {
      ctx.addIssue({
        code: 'custom',
        path: ['default'],
        message: `default ${JSON.stringify(parameter.default)} does not fit type ${parameter.type}${parameter.options ? ` with options ${parameter.options.join(', ')}` : ''}`,
      });
    }
  });

function defaultFits(parameter: { type: string; options?: (string | number)[] | undefined; default?: unknown }): boolean {
  switch (parameter.type) {
    case 'select':
      return parameter.options?.includes(parameter.default as string | number) ?? false;
    case 'number':
      return typeof parameter.default === 'number';
    case 'boolean':
      return typeof parameter.default === 'boolean';
    default:
      return typeof parameter.default === 'string';
  }
}

export const manualTriggerSchema = z.strictObject({
  type: z.literal('manual'),
  button_label: z.string().optional(),
  confirmation: z
    .union([z.boolean(), z.string()], { error: 'must be true, false or the question to ask' })
    .default(false)
    .meta({ description: 'Ask before running: true, or the question to show.' }),
  parameters: z.array(manualParameter).default([]),
});

const databaseEvent = z
  .string()
  .transform((event) => event.toUpperCase())
  .pipe(z.enum(['INSERT', 'UPDATE', 'DELETE'], { error: 'must be INSERT, UPDATE or DELETE' }));

export const databaseTriggerSchema = z.strictObject({
  type: z.literal('database'),
  connection: connectionName.optional(),
  schema: z.string().optional().meta({ description: 'Schema of the table (default public).' }),
  table: text,
  event: z
    .union([databaseEvent, z.array(databaseEvent).min(1)], { error: 'must be INSERT, UPDATE or DELETE, or a list of them' })
    .default(['INSERT']),
  filter: z.string().optional().meta({ description: 'SQL condition on NEW/OLD row columns, e.g. "status = \'new\'".' }),
});

const fileEvent = z.enum(['created', 'modified', 'deleted']);

export const fileWatcherTriggerSchema = z.strictObject({
  type: z.literal('file_watcher'),
  path: text.meta({ description: 'Folder to watch (inside KHAOSFLOW_FILE_ROOTS).' }),
  pattern: z.string().optional().meta({ description: 'Glob on file names, e.g. "*.csv".' }),
  event: z
    .union([fileEvent, z.array(fileEvent).min(1)], { error: 'must be created, modified or deleted, or a list of them' })
    .default(['created']),
  recursive: z.boolean().default(false),
  debounce: duration.optional().meta({ description: 'Wait until a file has not changed for this long.' }),
});

export const emailTriggerSchema = z.strictObject({
  type: z.literal('email'),
  connection: connectionName.optional().meta({ description: 'An imap:// connection (default: "default").' }),
  mailbox: z.string().default('INBOX'),
  filter: z.strictObject(mailFilterFields).optional(),
  mark_seen: z.boolean().default(true),
  poll_interval: duration.optional().meta({ description: 'When the server has no IDLE support.' }),
});

export const triggerSchemas = {
  webhook: webhookTriggerSchema,
  schedule: scheduleTriggerSchema,
  manual: manualTriggerSchema,
  database: databaseTriggerSchema,
  file_watcher: fileWatcherTriggerSchema,
  email: emailTriggerSchema,
};

export const triggerSchema = z.discriminatedUnion('type', [
  webhookTriggerSchema,
  scheduleTriggerSchema,
  manualTriggerSchema,
  databaseTriggerSchema,
  fileWatcherTriggerSchema,
  emailTriggerSchema,
]);
