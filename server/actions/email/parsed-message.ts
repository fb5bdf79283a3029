// An email as step data: what email_read returns per message and what `trigger.data`
// is for the email trigger. Attachments are described (name, type, size), not
// carried: their bytes would swell every run record that touches the message.
import { simpleParser, type AddressObject } from 'mailparser';

export interface EmailAddress {
  name: string;
  address: string;
}

export interface EmailMessage {
  mailbox: string;
  uid: number;
  message_id: string | null;
  from: EmailAddress | null;
  to: EmailAddress[];
  cc: EmailAddress[];
  reply_to: EmailAddress[];
  subject: string;
  date: string | null;
  text: string | null;
  html: string | null;
  attachments: Array<{ filename: string | null; content_type: string; size: number }>;
  flags: string[];
}

/** Longer text or html parts are cut here (and say so). */
export const MAX_PART_CHARS = 1024 * 1024;

function addresses(field: AddressObject | AddressObject[] | undefined): EmailAddress[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return objects
    .flatMap((o) => o.value)
    .filter((a) => a.address)
    .map((a) => ({ name: a.name ?? '', address: a.address! }));
}

const cut = (text: string | null) =>
  text !== null && text.length > MAX_PART_CHARS ? `${text.slice(0, MAX_PART_CHARS)}\n[... cut at ${MAX_PART_CHARS} characters]` : text;

export async function parseEmail(source: Buffer, where: { mailbox: string; uid: number; flags?: Iterable<string> }): Promise<EmailMessage> {
  const mail = await simpleParser(source, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  return {
    mailbox: where.mailbox,
    uid: where.uid,
    message_id: mail.messageId ?? null,
    from: addresses(mail.from)[0] ?? null,
    to: addresses(mail.to),
    cc: addresses(mail.cc),
    reply_to: addresses(mail.replyTo),
    subject: mail.subject ?? '',
    date: mail.date ? mail.date.toISOString() : null,
    text: cut(mail.text ?? null),
    html: cut(mail.html === false ? null : (mail.html ?? null)),
    attachments: mail.attachments.map((a) => ({ filename: a.filename ?? null, content_type: a.contentType, size: a.size })),
    flags: [...(where.flags ?? [])],
  };
}
