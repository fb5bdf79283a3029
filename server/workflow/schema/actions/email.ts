// Email actions: send_email over an smtp:// connection, email_read over imap://.
import { z } from 'zod';
import { connectionName, duration, mailFilterFields, templatedValue, text } from '../primitives.js';
import { actionObject } from './action-object.js';

const addresses = z.union([text, z.array(text).min(1)], { error: 'must be an address or a list of addresses' });

export const sendEmailActionSchema = actionObject('send_email', {
  smtp: connectionName.optional().meta({ description: 'The smtp:// connection to send through (default "default").' }),
  from: z.string().optional(),
  to: addresses,
  cc: addresses.optional(),
  bcc: addresses.optional(),
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
});

export const emailReadActionSchema = actionObject('email_read', {
  connection: connectionName.optional().meta({ description: 'The imap:// connection (default "default").' }),
  mailbox: z.string().default('INBOX'),
  filter: z
    .strictObject({
      ...mailFilterFields,
      since: z.string().optional().meta({ description: 'ISO date or a template.' }),
    })
    .optional(),
  limit: z.number().int().min(1).max(1000).default(50),
  mark_seen: z.boolean().default(false),
  move_to: text.optional().meta({ description: 'Move the messages read to this mailbox, e.g. Archive.' }),
  timeout: duration.optional(),
});
