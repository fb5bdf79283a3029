// An IMAP session (imapflow) from an imap:// connection, shared by the email_read
// action and the email trigger. Login failures are told apart from network trouble:
// a wrong password does not heal on retry.
import { ImapFlow } from 'imapflow';
import type { Connection } from '../connections/types.js';
import { imapOptionsFromUrl } from '../connections/urls.js';
import { NonRetryableError, StepError } from '../core/errors.js';

/**
 * Connects and logs in; the caller logs out. `onError` gets errors after the login
 * (imapflow emits them as events). `idleAfterMs`: how soon an idle session enters IDLE
 * (imapflow waits 15 s by default; a trigger that only waits for mail wants it at once).
 */
export async function openImap(
  connection: Connection,
  opts: { onError?: (err: Error) => void; idleAfterMs?: number } = {},
): Promise<ImapFlow> {
  const client = new ImapFlow({
    ...imapOptionsFromUrl(connection.url),
    logger: false,
    emitLogs: false,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    ...(opts.idleAfterMs === undefined ? {} : { autoIdleDelay: opts.idleAfterMs }),
  });
  const onError = opts.onError ?? (() => undefined);
  client.on('error', onError);
  try {
    await client.connect();
  } catch (err) {
    const e = err as Error & { authenticationFailed?: boolean; responseText?: string; code?: string };
    if (e.authenticationFailed) {
      throw new NonRetryableError(
        `The IMAP server of connection "${connection.name}" refused the login${e.responseText ? ` (${e.responseText})` : ''}; check the user and password in the connection.`,
      );
    }
    throw new StepError(`Cannot reach the IMAP server of connection "${connection.name}": ${e.message}${e.code ? ` (${e.code})` : ''}`);
  }
  return client;
}

/** Logs out politely, or drops the connection when the server does not answer. */
export async function closeImap(client: ImapFlow): Promise<void> {
  if (!client.usable) {
    client.close();
    return;
  }
  await Promise.race([client.logout(), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]).catch(() => undefined);
  client.close();
}
