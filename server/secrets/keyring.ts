// The master keys one process can use: its own (which encrypts everything new) and
// any key a rotation stored encrypted with a key it already has.
import { sql, type Kysely } from 'kysely';
import type { Db } from '../../db/client.js';
import type { Database } from '../../db/schema.js';
import { DecryptionError, keyCheckAad, open, seal, wrappedKeyAad, type Sealed } from './cipher.js';
import { describeKeySource, KEY_FORMATS, type MasterKey } from './master-key.js';

const CHECK_PLAINTEXT = 'khaosflow vault key check';

/** Start-up refuses to go on: the configured key cannot read what the database holds. */
export class VaultKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VaultKeyError';
  }
}

export class Keyring {
  private readonly keys = new Map<string, Buffer>();
  /** key id -> the key a rotation replaced it with. */
  private readonly successors = new Map<string, string>();

  constructor(
    private readonly db: Db,
    readonly master: MasterKey,
  ) {
    this.keys.set(master.keyId, master.key);
  }

  /**
   * The key new values are encrypted with: this process's own key, or the key a
   * rotation replaced it with, so a process still on the old key does not write
   * values the rotation would have to chase.
   */
  get currentId(): string {
    let id = this.master.keyId;
    for (let next = this.successors.get(id); next && this.keys.has(next); next = this.successors.get(id)) id = next;
    return id;
  }

  has(keyId: string): boolean {
    return this.keys.has(keyId);
  }

  /**
   * Encrypts with the current key; `aad` receives the key id the value is bound to.
   * `db` is the caller's transaction, if any, so sealing never waits for a second connection.
   */
  async seal(plaintext: Buffer | string, aad: (keyId: string) => string, db: Kysely<Database> = this.db): Promise<Sealed> {
    // Writes are rare; one read per write catches a rotation that began meanwhile.
    await this.learnWrappedKeys(db);
    const id = this.currentId;
    return seal(this.keys.get(id)!, id, plaintext, aad(id));
  }

  /** Decrypts with whichever key the value names, learning keys from a rotation in flight if needed. */
  async open(sealed: Sealed, aad: (keyId: string) => string): Promise<Buffer> {
    if (!this.keys.has(sealed.key_id)) await this.learnWrappedKeys();
    const key = this.keys.get(sealed.key_id);
    if (!key) {
      throw new DecryptionError(
        `it is encrypted with key id ${sealed.key_id}, which this process does not have (it runs with ${describeKeySource(this.master)}). A key rotation finished since this process started: set KHAOSFLOW_SECRET_KEY to the new key and restart it.`,
      );
    }
    return open(key, sealed, aad(sealed.key_id));
  }

  /** Unwraps every key stored encrypted with a key this ring holds, until nothing new appears. */
  async learnWrappedKeys(db: Kysely<Database> = this.db): Promise<void> {
    const rows = await db
      .selectFrom('khaosflow.vault_keys')
      .select(['key_id', 'wrapped_by', 'wrapped_key', 'wrapped_iv', 'wrapped_tag'])
      .where('wrapped_by', 'is not', null)
      .execute();
    for (let learned = true; learned; ) {
      learned = false;
      for (const row of rows) {
        const wrapper = row.wrapped_by ? this.keys.get(row.wrapped_by) : undefined;
        if (row.wrapped_by) this.successors.set(row.wrapped_by, row.key_id);
        if (this.keys.has(row.key_id) || !wrapper || !row.wrapped_key || !row.wrapped_iv || !row.wrapped_tag) continue;
        this.keys.set(
          row.key_id,
          open(
            wrapper,
            { ciphertext: row.wrapped_key, iv: row.wrapped_iv, tag: row.wrapped_tag },
            wrappedKeyAad(row.key_id, row.wrapped_by!),
          ),
        );
        learned = true;
      }
    }
  }
}

/** The check-value row of a key: lets a later start-up verify a key in one read. */
export function keyCheckRow(keyId: string, key: Buffer) {
  const sealed = seal(key, keyId, CHECK_PLAINTEXT, keyCheckAad(keyId));
  return { key_id: keyId, check_ciphertext: sealed.ciphertext, check_iv: sealed.iv, check_tag: sealed.tag };
}

/**
 * Opens the keyring of this process and proves its key can read the vault: the key's
 * check value must decrypt, and every stored secret must use a key the ring holds.
 * Registers the key on first use and, once a rotation to this key is complete,
 * forgets the copy of it wrapped with the old key (the old key then opens nothing).
 * @throws VaultKeyError with what to do
 */
export async function openKeyring(db: Db, master: MasterKey, log: (msg: string) => void = () => undefined): Promise<Keyring> {
  const ring = new Keyring(db, master);
  const own = await db.selectFrom('khaosflow.vault_keys').selectAll().where('key_id', '=', master.keyId).executeTakeFirst();
  if (own) {
    try {
      open(master.key, { ciphertext: own.check_ciphertext, iv: own.check_iv, tag: own.check_tag }, keyCheckAad(master.keyId));
    } catch {
      throw new VaultKeyError(
        `The check value of key id ${master.keyId} does not decrypt with ${describeKeySource(master)}: the vault_keys row was altered. Restore khaosflow.vault_keys from a backup.`,
      );
    }
  } else {
    await db
      .insertInto('khaosflow.vault_keys')
      .values(keyCheckRow(master.keyId, master.key))
      .onConflict((oc) => oc.column('key_id').doNothing())
      .execute();
  }
  await ring.learnWrappedKeys();

  const byKey = await db
    .selectFrom('khaosflow.secrets')
    .select(['key_id', sql<number>`count(*)::int`.as('n')])
    .groupBy('key_id')
    .execute();
  const unreadable = byKey.filter((r) => !ring.has(r.key_id));
  if (unreadable.length > 0) {
    const count = unreadable.reduce((n, r) => n + r.n, 0);
    const ids = unreadable.map((r) => r.key_id).join(', ');
    if (own?.wrapped_by && unreadable.some((r) => r.key_id === own.wrapped_by)) {
      throw new VaultKeyError(
        `A key rotation to ${describeKeySource(master)} is not finished: ${count} secret(s) are still encrypted with key id ${ids}. Run \`khaosflow secrets rotate-key --new-key-file <file with the new key>\` with KHAOSFLOW_SECRET_KEY set to the old key to finish it, then start again.`,
      );
    }
    throw new VaultKeyError(
      `The secret key does not match this database: ${describeKeySource(master)} cannot decrypt ${count} secret(s) stored with key id ${ids}. Set KHAOSFLOW_SECRET_KEY to the key they were stored with (${KEY_FORMATS}) or restore the key file $KHAOSFLOW_HOME/secret.key. KhaosFlow refuses to start rather than lose or overwrite them.`,
    );
  }

  if (own?.wrapped_by && byKey.every((r) => r.key_id === master.keyId)) {
    await db
      .updateTable('khaosflow.vault_keys')
      .set({ wrapped_by: null, wrapped_key: null, wrapped_iv: null, wrapped_tag: null })
      .where('key_id', '=', master.keyId)
      .execute();
    log(`key rotation complete: the previous key (id ${own.wrapped_by}) can no longer read the vault`);
  }
  return ring;
}
