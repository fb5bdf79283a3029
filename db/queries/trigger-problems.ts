// Trigger problems: why a file or email trigger is not listening (see sql/000009).
import { sql } from 'kysely';
import type { Db } from '../client.js';

/** Records (or, with null, clears) the problem of a workflow's trigger. `since` keeps the first time the problem was seen. */
export async function setTriggerProblem(db: Db, workflowId: number, triggerType: string, message: string | null): Promise<void> {
  if (message === null) {
    await db.deleteFrom('khaosflow.trigger_problems').where('workflow_id', '=', workflowId).execute();
    return;
  }
  await db
    .insertInto('khaosflow.trigger_problems')
    .values({ workflow_id: workflowId, trigger_type: triggerType, message })
    .onConflict((oc) => oc.column('workflow_id').doUpdateSet({ trigger_type: triggerType, message, updated_at: sql`now()` }))
    .execute();
}

export async function triggerProblems(db: Db): Promise<Map<number, { message: string; since: Date }>> {
  const rows = await db.selectFrom('khaosflow.trigger_problems').select(['workflow_id', 'message', 'since']).execute();
  return new Map(rows.map((r) => [r.workflow_id, { message: r.message, since: r.since }]));
}

export async function triggerProblem(db: Db, workflowId: number): Promise<{ message: string; since: Date } | null> {
  return (
    (await db
      .selectFrom('khaosflow.trigger_problems')
      .select(['message', 'since'])
      .where('workflow_id', '=', workflowId)
      .executeTakeFirst()) ?? null
  );
}

/** Forgets every problem of one trigger type: its singleton calls this when it takes over, then reports afresh. */
export async function clearTriggerProblems(db: Db, triggerType: string): Promise<void> {
  await db.deleteFrom('khaosflow.trigger_problems').where('trigger_type', '=', triggerType).execute();
}
