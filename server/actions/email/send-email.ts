// `send_email`: one message over a named smtp connection (`smtp:`, default "default").
// Output: {message_id, accepted, rejected, response}. A refused login, an unknown
// template or recipients the server rejects for good fail without retries; a server
// that cannot be reached or answers 4xx (try later) may be retried.
import { z } from 'zod';
import type { Connection } from '../../connections/types.js';
import { connectionSecretValues } from '../../connections/urls.js';
import { NonRetryableError, StepError } from '../../core/errors.js';
import { defineAction } from '../../core/action.js';
import { attachmentParams, mailAttachments } from './attachments.js';
import { messageContent } from './message-content.js';
import { smtpTransport } from '../../connectors/smtp-transports.js';
import { connectionName, templatedValue, text } from '../../core/param-schemas.js';

const addresses = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

const params = z.object({
  smtp: z.string().optional(),
  from: z.string().optional(),
  to: addresses,
  cc: addresses.optional(),
  bcc: addresses.optional(),
  reply_to: z.string().optional(),
  subject: z.string().optional(),
  template: z.string().optional(),
  data: z.unknown().optional(),
  text: z.string().optional(),
  html: z.string().optional(),
  attachments: z.array(attachmentParams).optional(),
});

/** The sender: the step's `from`, the connection's `?from=`, KHAOSFLOW_MAIL_FROM, or an address-like SMTP user name. */
function senderOf(connection: Connection, from: string | undefined): string {
  const url = new URL(connection.url);
  const user = decodeURIComponent(url.username);
  const sender =
    from ??
    connection.options.from ??
    url.searchParams.get('from') ??
    process.env.KHAOSFLOW_MAIL_FROM ??
    (user.includes('@') ? user : undefined);
  if (!sender) {
    throw new NonRetryableError(
      `send_email needs a sender: give from: in the step, add ?from=you@example.com to the smtp connection "${connection.name}", or set KHAOSFLOW_MAIL_FROM.`,
    );
  }
  return sender;
}

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
}

function sendFailure(err: SmtpError, connection: Connection): StepError {
  const said = err.response ?? err.message;
  if (err.code === 'EAUTH')
    return new NonRetryableError(
      `The SMTP server of connection "${connection.name}" refused the login: ${said}. Check the user and password in the connection.`,
    );
  if (err.responseCode && err.responseCode >= 500)
    return new NonRetryableError(`The SMTP server rejected the message: ${said}`, {
      details: { code: err.code, response_code: err.responseCode },
    });
  return new StepError(`Sending through connection "${connection.name}" failed: ${said}${err.code ? ` (${err.code})` : ''}`, {
    details: { code: err.code, response_code: err.responseCode },
  });
}

const yamlAddresses = z.union([text, z.array(text).min(1)], { error: 'must be an address or a list of addresses' });

export const sendEmailAction = defineAction({
  type: 'send_email',
  title: 'Send an email',
  params,
  authoring: (action) =>
    action({
      smtp: connectionName.optional().meta({ description: 'The smtp:// connection to send through (default "default").' }),
      from: z.string().optional(),
      to: yamlAddresses,
      cc: yamlAddresses.optional(),
      bcc: yamlAddresses.optional(),
      reply_to: z.string().optional(),
      subject: z.string().optional(),
      template: z.string().optional().meta({ description: 'Name of an email template; `data` fills it.' }),
      data: templatedValue.optional(),
      text: z.string().optional(),
      html: z.string().optional(),
      attachments: z
        .array(
          z.strictObject({
            filename: text,
            path: z.string().optional(),
            content: z.string().optional(),
            content_type: z.string().optional(),
          }),
        )
        .optional(),
    }).superRefine((email, ctx) => {
      if (email.subject === undefined && email.template === undefined) {
        ctx.addIssue({ code: 'custom', path: ['subject'], message: 'send_email needs a subject or a template' });
      }
    }),
  paramKinds: { markup: ['html'] },
  async run(ctx, p) {
    const connection = await ctx.connections.resolve('smtp', p.smtp);
    for (const secret of connectionSecretValues(connection)) ctx.addSecret(secret);
    const content = await messageContent(ctx, p);
    const attachments = await mailAttachments(p.attachments ?? [], ctx.services.config.home);
    const mail = {
      from: senderOf(connection, p.from),
      to: p.to,
      ...(p.cc ? { cc: p.cc } : {}),
      ...(p.bcc ? { bcc: p.bcc } : {}),
      ...(p.reply_to ? { replyTo: p.reply_to } : {}),
      ...content,
      attachments,
    };
    const { transporter, release } = smtpTransport(connection);
    try {
      const sending = transporter.sendMail(mail);
      // nodemailer cannot cancel a send; a cancelled run stops waiting for it.
      const aborted = new Promise<never>((_, reject) => {
        if (ctx.signal.aborted) reject(ctx.signal.reason);
        ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
      });
      aborted.catch(() => undefined);
      const info = await Promise.race([sending, aborted]).catch((err: unknown) => {
        if (ctx.signal.aborted) throw ctx.signal.reason;
        throw sendFailure(err as SmtpError, connection);
      });
      const list = (value: unknown) =>
        Array.isArray(value) ? value.map((a) => (typeof a === 'string' ? a : ((a as { address?: string }).address ?? String(a)))) : [];
      const result = { message_id: info.messageId, accepted: list(info.accepted), rejected: list(info.rejected), response: info.response };
      ctx.log(
        'info',
        `sent "${content.subject}" to ${result.accepted.join(', ')}${result.rejected.length ? `; rejected: ${result.rejected.join(', ')}` : ''}`,
      );
      return result;
    } finally {
      release();
    }
  },
});
