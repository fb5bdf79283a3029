// khaosflow.db_trigger_installs: which database triggers are installed where, or why
// they could not be. The SQL triggers themselves live in the target databases.
import type { Selectable } from 'kysely';
import type { Db } from '../client.js';
import type { DbTriggerInstallsTable } from '../schema.js';

export type DbTriggerInstall = Selectable<DbTriggerInstallsTable>;

export async function listDbTriggerInstalls(db: Db): Promise<DbTriggerInstall[]> {
  return db.selectFrom('khaosflow.db_trigger_installs').selectAll().orderBy('workflow_id').execute();
}

export async function getDbTriggerInstall(db: Db, workflowId: number): Promise<DbTriggerInstall | null> {
  return (
    (await db.selectFrom('khaosflow.db_trigger_installs').selectAll().where('workflow_id', '=', workflowId).executeTakeFirst()) ?? null
  );
}

export type DbTriggerInstallWrite = Omit<DbTriggerInstall, 'updated_at' | 'retryable'> & { retryable: boolean };

/** Records an install (or a failed attempt); a workflow deleted meanwhile is left alone. */
export async function saveDbTriggerInstall(db: Db, row: DbTriggerInstallWrite): Promise<void> {
  const { workflow_id: _id, ...changes } = { ...row, updated_at: new Date() };
  try {
    await db
      .insertInto('khaosflow.db_trigger_installs')
      .values({ ...row, updated_at: changes.updated_at })
      .onConflict((oc) => oc.column('workflow_id').doUpdateSet(changes))
      .execute();
  } catch (err) {
    if ((err as { code?: string }).code !== '23503') throw err;
  }
}

export async function deleteDbTriggerInstall(db: Db, workflowId: number): Promise<void> {
  await db.deleteFrom('khaosflow.db_trigger_installs').where('workflow_id', '=', workflowId).execute();
}
