// `email_read`: messages of a mailbox matching a filter (unseen, from, subject,
// since), newest `limit` of them, parsed; optionally marked seen or moved. Output:
// {mailbox, count, messages} in arrival order.
import type { ImapFlow, SearchObject } from 'imapflow';
import { z } from 'zod';
import { connectionSecretValues } from '../../connections/urls.js';
import { NonRetryableError, StepError } from '../../core/errors.js';
import { durationParam } from '../http/duration-param.js';
import { defineAction } from '../../core/action.js';
import { closeImap, openImap } from '../../connectors/imap-session.js';
import { parseEmail, type EmailMessage } from './parsed-message.js';
import { connectionName, duration, mailFilterFields, text } from '../../core/param-schemas.js';

const params = z.object({
  connection: z.string().optional(),
  mailbox: z.string().min(1).default('INBOX'),
  filter: z
    .object({
      from: z.string().optional(),
      subject: z.string().optional(),
      unseen: z.boolean().optional(),
      since: z.union([z.string(), z.number()]).optional(),
    })
    .optional(),
  limit: z.number().int().min(1).max(1000).default(50),
  mark_seen: z.boolean().default(false),
  move_to: z.string().min(1).optional(),
  timeout: durationParam.default(60_000),
});
type Params = z.output<typeof params>;

function criteria(filter: Params['filter']): SearchObject {
  const search: SearchObject = {};
  if (filter?.unseen) search.seen = false;
  if (filter?.from) search.from = filter.from;
  if (filter?.subject) search.subject = filter.subject;
  if (filter?.since !== undefined) {
    const since = new Date(filter.since);
    if (Number.isNaN(since.getTime()))
      throw new NonRetryableError(`filter.since "${filter.since}" is not a date; write it like 2026-01-31 or "{{date}}".`);
    search.since = since;
  }
  return Object.keys(search).length ? search : { all: true };
}

async function readMailbox(client: ImapFlow, p: Params): Promise<EmailMessage[]> {
  let lock;
  try {
    lock = await client.getMailboxLock(p.mailbox);
  } catch (err) {
    throw new NonRetryableError(
      `Cannot open mailbox "${p.mailbox}": ${(err as { responseText?: string }).responseText ?? (err as Error).message}. Check its name (folders are often "INBOX/Sub" or "INBOX.Sub").`,
    );
  }
  try {
    const found = (await client.search(criteria(p.filter), { uid: true })) || [];
    const uids = [...found].sort((a, b) => a - b).slice(-p.limit);
    if (uids.length === 0) return [];
    // Collect first: imapflow runs no other command while a fetch is being iterated.
    const fetched: Array<{ uid: number; source: Buffer; flags: Set<string> }> = [];
    for await (const message of client.fetch(uids.join(','), { uid: true, source: true, flags: true }, { uid: true })) {
      if (message.source) fetched.push({ uid: message.uid, source: message.source, flags: message.flags ?? new Set() });
    }
    const messages: EmailMessage[] = [];
    for (const m of fetched) messages.push(await parseEmail(m.source, { mailbox: p.mailbox, uid: m.uid, flags: m.flags }));
    if (p.mark_seen) await client.messageFlagsAdd(uids.join(','), ['\\Seen'], { uid: true });
    if (p.move_to) {
      const moved = await client.messageMove(uids.join(','), p.move_to, { uid: true });
      if (!moved)
        throw new NonRetryableError(`Read ${uids.length} message(s) but could not move them to "${p.move_to}"; does that mailbox exist?`);
    }
    return messages.sort((a, b) => a.uid - b.uid);
  } finally {
    lock.release();
  }
}

export const emailReadAction = defineAction({
  type: 'email_read',
  title: 'Read email (IMAP)',
  params,
  authoring: (action) =>
    action({
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
    }),
  async run(ctx, p) {
    const connection = await ctx.connections.resolve('imap', p.connection);
    for (const secret of connectionSecretValues(connection)) ctx.addSecret(secret);
    const client = await openImap(connection);
    // Closing the session makes every pending command fail, which ends the step.
    const timer = setTimeout(() => client.close(), p.timeout);
    const onAbort = () => client.close();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const messages = await readMailbox(client, p);
      ctx.log('info', `read ${messages.length} message(s) from ${p.mailbox}`);
      return { mailbox: p.mailbox, count: messages.length, messages };
    } catch (err) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      if (err instanceof StepError) throw err;
      if (!client.usable)
        throw new StepError(
          `The IMAP session of connection "${connection.name}" ended before the mailbox was read (timeout ${p.timeout / 1000} s or a dropped connection).`,
        );
      throw err;
    } finally {
      clearTimeout(timer);
      ctx.signal.removeEventListener('abort', onAbort);
      await closeImap(client);
    }
  },
});
