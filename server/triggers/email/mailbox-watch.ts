// One workflow's `email` trigger: an IMAP session with the mailbox selected, told of
// new mail by IDLE (imapflow idles whenever it has nothing else to do), plus a sweep
// every poll interval because an IDLE session can die silently. Every sweep starts a
// run for each message above the last handled UID, oldest first, and records it in
// the same statement (mailbox-state.ts), so a message starts one run however often it
// is seen. A new watch starts at the mailbox's current end: mail that was already
// there when the workflow was enabled is not "new".
import type { ImapFlow, SearchObject } from 'imapflow';
import { closeImap, openImap } from '../../connectors/imap-session.js';
import { parseEmail } from '../../actions/email/parsed-message.js';
import type { Connection } from '../../connections/types.js';
import { WorkflowUnavailableError } from '../../queue/enqueue-run.js';
import type { Services } from '../../services.js';
import type { EmailTrigger } from '../../workflow/types.js';
import { serialTask } from '../serial-task.js';
import { advanceMailbox, loadMailboxState, startMessageRun, type MailboxPlace } from './mailbox-state.js';

export interface MailboxWatch {
  stop(): Promise<void>;
}

export interface MailboxWatchOptions {
  services: Services;
  workflowId: number;
  slug: string;
  trigger: EmailTrigger;
  connection: Connection;
}

const DEFAULT_SWEEP_MS = 30_000;
const MAX_RECONNECT_MS = 60_000;

/** The IMAP SEARCH keys of the trigger's filter (null: every message); the test panel's sample uses the same. */
export function filterCriteria(trigger: Pick<EmailTrigger, 'filter'>): SearchObject | null {
  const f = trigger.filter;
  if (!f) return null;
  const search: SearchObject = {};
  if (f.unseen) search.seen = false;
  if (f.from) search.from = f.from;
  if (f.subject) search.subject = f.subject;
  return Object.keys(search).length ? search : null;
}

/** Connects, selects the mailbox and runs a first sweep; throws when that is not possible (the caller retries). */
export async function startMailboxWatch(opts: MailboxWatchOptions): Promise<MailboxWatch> {
  const { services, trigger, slug } = opts;
  const { logger, pool } = services;
  const mailbox = trigger.mailbox;
  const place: MailboxPlace = { workflowSlug: slug, connection: opts.connection.name, mailbox };
  const log = { workflow: slug, mailbox, connection: opts.connection.name };
  const criteria = filterCriteria(trigger);
  let client: ImapFlow | null = null;
  let stopped = false;
  let reconnectTimer: NodeJS.Timeout | null = null;
  let reconnectDelay = 1_000;

  const sweepOnce = async (imap: ImapFlow) => {
    const lock = await imap.getMailboxLock(mailbox);
    try {
      const uidValidity = imap.mailbox ? imap.mailbox.uidValidity : null;
      if (uidValidity === null) return;
      const state = await loadMailboxState(pool, opts.workflowId, place);
      if (!state || state.uidValidity !== uidValidity) {
        const last = await imap.fetchOne('*', { uid: true });
        const top = last ? last.uid : Math.max((imap.mailbox ? imap.mailbox.uidNext : 1) - 1, 0);
        await advanceMailbox(pool, place, uidValidity, top);
        if (state)
          logger.warn(
            { ...log, uidValidity: uidValidity.toString() },
            'the mailbox was recreated (UIDVALIDITY changed); watching for new mail from its current end',
          );
        else logger.info(log, 'email trigger watching for new mail');
        return;
      }
      const range = `${state.lastUid + 1}:*`;
      // `n:*` always names the newest message, even below n: keep only what is new.
      const fresh = ((await imap.search({ uid: range }, { uid: true })) || []).filter((uid) => uid > state.lastUid).sort((a, b) => a - b);
      if (fresh.length === 0) return;
      const matching = criteria ? new Set((await imap.search({ uid: range, ...criteria }, { uid: true })) || []) : null;
      for (const uid of fresh) {
        if (stopped) return;
        const message =
          matching && !matching.has(uid) ? null : await imap.fetchOne(String(uid), { uid: true, source: true, flags: true }, { uid: true });
        // biome-ignore lint/complexity/useOptionalChain: the fetch answers false for a vanished message, which ?. would not narrow away
        if (!message || !message.source) {
          await advanceMailbox(pool, place, uidValidity, uid); // passed over by the filter, or expunged meanwhile
          continue;
        }
        const data = await parseEmail(message.source, { mailbox, uid, ...(message.flags ? { flags: message.flags } : {}) });
        const runId = await startMessageRun(pool, place, uidValidity, uid, { data });
        logger.info({ ...log, uid, run: runId }, 'new email started a run');
        if (trigger.mark_seen) await imap.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
      }
    } finally {
      lock.release();
    }
  };

  const sweep = serialTask(
    `email trigger sweep (${slug})`,
    async () => {
      if (stopped || !client?.usable) return;
      try {
        await sweepOnce(client);
      } catch (err) {
        // Disabled or deleted meanwhile: the service's reconcile stops this watch.
        if (!(err instanceof WorkflowUnavailableError)) throw err;
      }
    },
    logger,
  );

  const connect = async () => {
    const imap = await openImap(opts.connection, {
      onError: (err) => logger.warn({ ...log, err: err.message }, 'IMAP session error'),
      idleAfterMs: 1_000,
    });
    try {
      await imap.mailboxOpen(mailbox);
    } catch (err) {
      await closeImap(imap);
      throw new Error(`cannot open mailbox "${mailbox}": ${(err as { responseText?: string }).responseText ?? (err as Error).message}`);
    }
    imap.on('exists', () => void sweep.request());
    imap.on('close', () => {
      if (stopped || client !== imap) return;
      client = null;
      logger.warn(log, 'IMAP session closed; reconnecting');
      scheduleReconnect();
    });
    client = imap;
    reconnectDelay = 1_000;
    await sweep.request();
  };

  const scheduleReconnect = () => {
    if (stopped) return;
    reconnectTimer = setTimeout(() => {
      connect().catch((err: Error) => {
        logger.warn({ ...log, err: err.message, retryInMs: reconnectDelay }, 'cannot reconnect to the mailbox yet');
        reconnectDelay = Math.min(reconnectDelay * 2, MAX_RECONNECT_MS);
        scheduleReconnect();
      });
    }, reconnectDelay);
    reconnectTimer.unref();
  };

  await connect();
  const sweepTimer = setInterval(() => void sweep.request(), trigger.poll_interval ?? DEFAULT_SWEEP_MS);
  sweepTimer.unref();

  return {
    async stop() {
      stopped = true;
      clearInterval(sweepTimer);
      if (reconnectTimer) clearTimeout(reconnectTimer);
      await sweep.stop();
      const current = client;
      client = null;
      if (current) await closeImap(current);
    },
  };
}
