// Master key rotation, online. The new key is first stored encrypted with the old
// one (vault_keys.wrapped_key), so every process still running with the old key can
// read values already moved to the new key; then secrets are re-encrypted in small
// transactions. Running it again with the same new key finishes an interrupted one.
import { sql } from 'kysely';
import type { Db } from '../../db/client.js';
import { keyCheckAad, open, seal, secretAad, wrappedKeyAad } from './cipher.js';
import { keyCheckRow, type Keyring } from './keyring.js';
import { keyIdOf } from './master-key.js';

export interface RotationResult {
  fromKeyId: string;
  toKeyId: string;
  /** Secrets (connection fields included) re-encrypted by this call. */
  reencrypted: number;
}

/**
 * Re-encrypts every secret with `newKey`.
 * @example await rotateMasterKey(db, vault.keyring, randomBytes(32));
 */
export async function rotateMasterKey(
  db: Db,
  keyring: Keyring,
  newKey: Buffer,
  opts: { batchSize?: number; log?: (msg: string) => void } = {},
): Promise<RotationResult> {
  const fromKeyId = keyring.master.keyId;
  const toKeyId = keyIdOf(newKey);
  if (toKeyId === fromKeyId) throw new Error(`The new key is the key already in use (key id ${toKeyId}); give a different one.`);
  await keyring.learnWrappedKeys();
  if (keyring.currentId !== fromKeyId && keyring.currentId !== toKeyId) {
    throw new Error(
      `A rotation to key id ${keyring.currentId} is not finished. Finish it first: run rotate-key again with --new-key-file holding that key.`,
    );
  }

  const existing = await db.selectFrom('khaosflow.vault_keys').selectAll().where('key_id', '=', toKeyId).executeTakeFirst();
  if (existing) {
    // Same id, so almost surely the same key; the check value makes sure.
    open(newKey, { ciphertext: existing.check_ciphertext, iv: existing.check_iv, tag: existing.check_tag }, keyCheckAad(toKeyId));
  }
  const wrapped = seal(keyring.master.key, fromKeyId, newKey, wrappedKeyAad(toKeyId, fromKeyId));
  const wrapping = { wrapped_by: fromKeyId, wrapped_key: wrapped.ciphertext, wrapped_iv: wrapped.iv, wrapped_tag: wrapped.tag };
  await db
    .insertInto('khaosflow.vault_keys')
    .values({ ...keyCheckRow(toKeyId, newKey), ...wrapping })
    .onConflict((oc) => oc.column('key_id').doUpdateSet(wrapping))
    .execute();
  await keyring.learnWrappedKeys();

  const batchSize = opts.batchSize ?? 100;
  let reencrypted = 0;
  for (;;) {
    const moved = await db.transaction().execute(async (trx) => {
      // Row locks, not a table lock: secrets stay readable and writable meanwhile.
      const rows = await trx
        .selectFrom('khaosflow.secrets')
        .select(['name', 'ciphertext', 'iv', 'tag', 'key_id'])
        .where('key_id', '<>', toKeyId)
        .orderBy('name')
        .limit(batchSize)
        .forUpdate()
        .execute();
      for (const row of rows) {
        const plain = await keyring.open(row, (keyId) => secretAad(row.name, keyId));
        const sealed = seal(newKey, toKeyId, plain, secretAad(row.name, toKeyId));
        await trx
          .updateTable('khaosflow.secrets')
          .set({ ...sealed, updated_at: sql<Date>`updated_at` })
          .where('name', '=', row.name)
          .execute();
      }
      return rows.length;
    });
    reencrypted += moved;
    if (moved > 0) opts.log?.(`re-encrypted ${reencrypted} secret(s) so far`);
    if (moved < batchSize) break;
  }
  return { fromKeyId, toKeyId, reencrypted };
}
