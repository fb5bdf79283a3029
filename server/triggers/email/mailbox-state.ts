// Reading and moving the email trigger's place in a mailbox (sql/000006_email_trigger.sql).
import type pg from 'pg';
import { WorkflowUnavailableError } from '../../queue/enqueue-run.js';

export interface MailboxPlace {
  workflowSlug: string;
  connection: string;
  mailbox: string;
}

export interface MailboxState {
  uidValidity: bigint;
  lastUid: number;
}

export async function loadMailboxState(pool: pg.Pool, workflowId: number, place: MailboxPlace): Promise<MailboxState | null> {
  const { rows } = await pool.query<{ uidvalidity: string; last_uid: string }>(
    'select uidvalidity, last_uid from khaosflow.email_trigger_state where workflow_id = $1 and connection = $2 and mailbox = $3',
    [workflowId, place.connection, place.mailbox],
  );
  const row = rows[0];
  return row ? { uidValidity: BigInt(row.uidvalidity), lastUid: Number(row.last_uid) } : null;
}

export async function advanceMailbox(pool: pg.Pool, place: MailboxPlace, uidValidity: bigint, upTo: number): Promise<void> {
  await pool.query('select khaosflow.advance_email_trigger($1, $2, $3, $4, $5)', [
    place.workflowSlug,
    place.connection,
    place.mailbox,
    uidValidity.toString(),
    upTo,
  ]);
}

/**
 * Starts the run of message `uid` and records it as handled, in one statement.
 * @throws WorkflowUnavailableError when the workflow was disabled or deleted meanwhile
 */
export async function startMessageRun(
  pool: pg.Pool,
  place: MailboxPlace,
  uidValidity: bigint,
  uid: number,
  trigger: Record<string, unknown>,
): Promise<string> {
  try {
    const { rows } = await pool.query<{ id: string }>('select khaosflow.run_email_message($1, $2, $3, $4, $5, $6::jsonb) as id', [
      place.workflowSlug,
      place.connection,
      place.mailbox,
      uidValidity.toString(),
      uid,
      JSON.stringify(trigger),
    ]);
    return rows[0]!.id;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'P0002') throw new WorkflowUnavailableError(`There is no workflow "${place.workflowSlug}".`, 'not_found');
    if (code === '55000') throw new WorkflowUnavailableError(`Workflow "${place.workflowSlug}" is disabled.`, 'disabled');
    throw err;
  }
}
