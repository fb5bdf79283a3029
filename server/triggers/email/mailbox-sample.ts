// "Sample from the mailbox" for an email trigger's test panel: the newest message of the
// watched mailbox that passes the trigger's filter, shaped exactly like the trigger data
// a real new message would give. The mailbox is opened read-only (EXAMINE) and the body
// is fetched with BODY.PEEK, so nothing is marked seen or moved, and the trigger's place
// in the mailbox (mailbox-state.ts) is not read or changed.
import type { ImapFlow } from 'imapflow';
import { type EmailMessage, parseEmail } from '../../actions/email/parsed-message.js';
import { closeImap, openImap } from '../../connectors/imap-session.js';
import type { Connection } from '../../connections/types.js';
import type { Services } from '../../services.js';
import type { EmailTrigger } from '../../workflow/types.js';
import { filterCriteria } from './mailbox-watch.js';

export interface MailboxSample {
  data: EmailMessage;
}

/** Why no sample could be read, said so a user can act on it (never with the connection's URL). */
export class MailboxSampleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MailboxSampleError';
  }
}

const DEFAULT_TIMEOUT_MS = 20_000;

/**
 * The newest matching message (highest UID), or null when none matches.
 * @example const sample = await newestMailboxMessage(services, { type: 'email', mailbox: 'INBOX', mark_seen: true });
 */
export async function newestMailboxMessage(
  services: Pick<Services, 'connections'>,
  trigger: Pick<EmailTrigger, 'connection' | 'mailbox' | 'filter'>,
  opts: { timeoutMs?: number } = {},
): Promise<MailboxSample | null> {
  let connection: Connection;
  try {
    connection = await services.connections.resolve('imap', trigger.connection);
  } catch (err) {
    throw new MailboxSampleError((err as Error).message);
  }
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let client: ImapFlow | null = null;
  let timer: NodeJS.Timeout | undefined;
  let expired = false;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      expired = true;
      // Dropping the session makes the pending command fail; the race below reports why.
      client?.close();
      reject(
        new MailboxSampleError(
          `The IMAP server of connection "${connection.name}" did not answer within ${timeoutMs / 1000} s; check that it is reachable and try again.`,
        ),
      );
    }, timeoutMs);
    timer.unref();
  });
  deadline.catch(() => undefined); // settled by the race; this only keeps a late rejection from being unhandled
  const read = async (): Promise<MailboxSample | null> => {
    try {
      client = await openImap(connection);
    } catch (err) {
      throw new MailboxSampleError((err as Error).message);
    }
    const imap = client;
    try {
      if (expired) return null; // the caller was already told of the timeout
      try {
        await imap.mailboxOpen(trigger.mailbox, { readOnly: true });
      } catch (err) {
        const why = (err as { responseText?: string }).responseText ?? (err as Error).message;
        throw new MailboxSampleError(`Cannot open mailbox "${trigger.mailbox}" of connection "${connection.name}": ${why}`);
      }
      const uids = (await imap.search(filterCriteria(trigger) ?? { all: true }, { uid: true })) || [];
      if (uids.length === 0) return null;
      const uid = Math.max(...uids);
      const message = await imap.fetchOne(String(uid), { uid: true, source: true, flags: true }, { uid: true });
      // biome-ignore lint/complexity/useOptionalChain: the fetch answers false for a vanished message, which ?. would not narrow away
      if (!message || !message.source) return null; // expunged between the search and the fetch
      // The same builder as the trigger's runs (mailbox-watch.ts), so the sample has the run data's shape.
      return {
        data: await parseEmail(message.source, { mailbox: trigger.mailbox, uid, ...(message.flags ? { flags: message.flags } : {}) }),
      };
    } finally {
      await closeImap(imap);
    }
  };
  const reading = read();
  reading.catch(() => undefined); // after a timeout nobody awaits it; its failure is expected then
  try {
    return await Promise.race([reading, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
