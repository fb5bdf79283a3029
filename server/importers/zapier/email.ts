// Email: Email by Zapier (EmailAPI), SMTP by Zapier (SMTPAPI) and Gmail's send action
// become send_email through an smtp:// connection (the one named "default" unless the
// user changes it); Email by Zapier's inbound mailbox becomes an email (IMAP) trigger.
import { stepSlug } from '../../workflow/index.js';
import type { Conversion, NodeConverter, TriggerConversion, TriggerConverter, ZapContext } from './context.js';
import { appKey } from './naming.js';
import { hasReference } from './references.js';
import type { ZapNode } from './types.js';

const sendingApps = new Set(['EmailAPI', 'SMTPAPI', 'GmailV2API', 'GmailAPI']);

const text = (value: unknown) => (typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value));

/** An address field: a list when it is a literal comma-separated list, else a template. */
function addresses(node: ZapNode, ctx: ZapContext, value: unknown): string | string[] | undefined {
  const raw = Array.isArray(value) ? value.map(text).join(',') : text(value);
  if (raw.trim() === '') return undefined;
  if (!hasReference(raw) && raw.includes(','))
    return raw
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean);
  return ctx.template(node, raw.trim());
}

const truthy = (value: unknown) => ['yes', 'true', '1', 'html'].includes(text(value).toLowerCase());

export const sendEmailConverter: NodeConverter = {
  matches: (node) => sendingApps.has(appKey(node.app)) && node.typeOf !== 'read',
  convert(node: ZapNode, ctx: ZapContext): Conversion {
    const app = appKey(node.app);
    const p = node.params;
    const name = ctx.stepName(node, node.title ?? 'Send Email');
    ctx.outputs.set(node.id, { kind: 'step', slug: stepSlug(name), base: [] });
    const to = addresses(node, ctx, p.to);
    if (to === undefined) {
      const why = 'the export has no recipient (to), so the email was not imported; add a send_email step with to:';
      return {
        steps: [{ name, action: { type: 'log', level: 'warn', message: `Not imported from Zapier: ${why}`, data: ctx.template(node, p) } }],
        status: 'unsupported',
        became: { name, type: 'log' },
        notes: [why],
      };
    }
    let status: Conversion['status'] = 'converted';
    const notes: string[] = [
      'it sends through the smtp connection named "default" (KHAOSFLOW_CONNECTION_DEFAULT=smtp://user:password@host:587); add smtp: <name> to use another',
    ];
    const action: Record<string, unknown> = { type: 'send_email' };
    const fromEmail = text(p.from_email ?? p.from).trim();
    const fromName = text(p.from_name).trim();
    if (fromEmail) action.from = ctx.template(node, fromName ? `${fromName} <${fromEmail}>` : fromEmail);
    else if (fromName) {
      status = 'needs_review';
      notes.push(`the sender name "${fromName}" needs an address: set from: "${fromName} <you@example.com>" or ?from= on the connection`);
    }
    action.to = to;
    for (const key of ['cc', 'bcc'] as const) {
      const list = addresses(node, ctx, p[key]);
      if (list !== undefined) action[key] = list;
    }
    if (text(p.reply_to).trim()) action.reply_to = ctx.template(node, text(p.reply_to).trim());
    action.subject = ctx.template(node, text(p.subject));
    const html =
      truthy(p.is_html) ||
      truthy(p.html) ||
      text(p.body_type).toLowerCase() === 'html' ||
      /<(p|br|div|html|table|a|b|strong|h\d)\b[^>]*>/i.test(text(p.body));
    action[html ? 'html' : 'text'] = ctx.template(node, text(p.body));
    if (p.attachment !== undefined && p.attachment !== '') {
      status = 'needs_review';
      notes.push('Zapier attached a file; add it under attachments: ({filename, path} or {filename, content})');
    }
    if (app.startsWith('Gmail')) {
      status = 'needs_review';
      notes.push('Zapier sent this through your Gmail account; create an smtp connection to smtp.gmail.com:587 with an app password');
    } else if (app === 'EmailAPI') {
      notes.push("Email by Zapier sent from a Zapier address; the sender is now your smtp connection's (?from=) unless from: is set");
    }
    return { steps: [{ name, action }], status, became: { name, type: 'send_email' }, notes };
  },
};

export const emailTrigger: TriggerConverter = {
  matches: (node) => appKey(node.app) === 'EmailAPI',
  convert(node: ZapNode, ctx: ZapContext): TriggerConversion {
    ctx.outputs.set(node.id, { kind: 'trigger' });
    return {
      trigger: { type: 'email' },
      type: 'email trigger',
      status: 'needs_review',
      notes: [
        'Zapier gave this zap its own @robot.zapier.com address; forward that mail to a mailbox KhaosFlow reads over IMAP (connection "default": KHAOSFLOW_CONNECTION_DEFAULT=imap://user:password@host:993)',
        'check the fields the steps read: Zapier named them body_plain, from__email, ...; the email trigger names its own',
      ],
    };
  },
};
