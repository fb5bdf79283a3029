import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/logger.js';
import { open, seal, secretAad } from '../../server/secrets/cipher.js';
import { VaultKeyError } from '../../server/secrets/keyring.js';
import { keyIdOf, loadMasterKey, parseMasterKey } from '../../server/secrets/master-key.js';
import { rotateMasterKey } from '../../server/secrets/rotate.js';
import { openVault } from '../../server/vault.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { newKeyText, tempHome, vaultWithKey } from '../helpers/vault.js';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(() => tdb.drop());

async function clearVault() {
  await tdb.db.deleteFrom('khaosflow.secrets').execute();
  await tdb.db.deleteFrom('khaosflow.vault_keys').execute();
}

describe('the master key', () => {
  it('reads base64 and hex keys and names the accepted formats when a key is malformed', () => {
    const key = randomBytes(32);
    expect(parseMasterKey(key.toString('base64'), 'K')).toEqual(key);
    expect(parseMasterKey(key.toString('hex'), 'K')).toEqual(key);
    expect(parseMasterKey(key.toString('base64url'), 'K')).toEqual(key);
    expect(() => parseMasterKey('too-short', 'KHAOSFLOW_SECRET_KEY')).toThrow(
      /KHAOSFLOW_SECRET_KEY is not a valid secret key: expected 32 random bytes written as base64 \(44 characters\) or hex \(64 characters\)/,
    );
    expect(() => parseMasterKey(randomBytes(16).toString('hex'), 'K')).toThrow(/base64 .* or hex/);
  });

  it('is generated once into $KHAOSFLOW_HOME/secret.key with mode 0600, and start-up says so', async () => {
    await clearVault();
    const home = tempHome();
    const lines: string[] = [];
    const logger = createLogger({ level: 'info' });
    logger.warn = ((_obj: unknown, msg: string) => {
      lines.push(msg);
    }) as typeof logger.warn;
    const vault = await openVault({ db: tdb.db, env: {}, home, logger });
    const file = path.join(home, 'secret.key');
    expect(vault.master).toMatchObject({ source: 'file', file, generated: true });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(lines.join('\n')).toMatch(/generated a new secret key in .*secret\.key/);
    const again = loadMasterKey({ env: {}, home });
    expect(again.generated).toBe(false);
    expect(again.key).toEqual(vault.master.key);
  });

  it('refuses a key file other users can read', () => {
    const home = tempHome();
    loadMasterKey({ env: {}, home });
    fs.chmodSync(path.join(home, 'secret.key'), 0o644);
    expect(() => loadMasterKey({ env: {}, home })).toThrow(/readable by other users.*chmod 600/);
  });
});

describe('secrets at rest', () => {
  it('round-trips a value, storing only ciphertext, a 96-bit IV and the key id', async () => {
    await clearVault();
    const key = newKeyText();
    const vault = await vaultWithKey(tdb.db, key);
    await vault.secrets.set('api_token', 'tok_live_1234567890');
    expect(await vault.secrets.get('api_token')).toBe('tok_live_1234567890');
    const row = await tdb.db.selectFrom('khaosflow.secrets').selectAll().where('name', '=', 'api_token').executeTakeFirstOrThrow();
    expect(row.iv).toHaveLength(12);
    expect(row.tag).toHaveLength(16);
    expect(row.key_id).toBe(keyIdOf(parseMasterKey(key, 'k')));
    expect(row.ciphertext.toString('utf8')).not.toContain('tok_live');
    const again = await tdb.db.selectFrom('khaosflow.secrets').select('iv').where('name', '=', 'api_token').executeTakeFirstOrThrow();
    await vault.secrets.set('api_token', 'tok_live_1234567890');
    const rewritten = await tdb.db.selectFrom('khaosflow.secrets').select('iv').where('name', '=', 'api_token').executeTakeFirstOrThrow();
    expect(rewritten.iv.equals(again.iv)).toBe(false);
  });

  it('fails to decrypt a ciphertext moved onto another row', async () => {
    await clearVault();
    const vault = await vaultWithKey(tdb.db, newKeyText());
    await vault.secrets.set('stripe_key', 'sk_live_abcdef');
    await vault.secrets.set('smtp_password', 'hunter22');
    const stripe = await tdb.db
      .selectFrom('khaosflow.secrets')
      .select(['ciphertext', 'iv', 'tag'])
      .where('name', '=', 'stripe_key')
      .executeTakeFirstOrThrow();
    await tdb.db.updateTable('khaosflow.secrets').set(stripe).where('name', '=', 'smtp_password').execute();
    await expect(vault.secrets.get('smtp_password')).rejects.toThrow(/Secret "smtp_password" cannot be decrypted/);
    expect(await vault.secrets.get('stripe_key')).toBe('sk_live_abcdef');
  });

  it('binds the key id too: a value relabelled with another key id does not decrypt', () => {
    const key = randomBytes(32);
    const sealed = seal(key, 'aaaaaaaaaaaaaaaa', 'v', secretAad('x', 'aaaaaaaaaaaaaaaa'));
    expect(open(key, sealed, secretAad('x', 'aaaaaaaaaaaaaaaa')).toString()).toBe('v');
    expect(() => open(key, sealed, secretAad('x', 'bbbbbbbbbbbbbbbb'))).toThrow(/does not authenticate/);
  });

  it('lists names without values and deletes', async () => {
    await clearVault();
    const vault = await vaultWithKey(tdb.db, newKeyText());
    await vault.secrets.set('b_secret', 'value-b');
    await vault.secrets.set('a_secret', 'value-a');
    const list = await vault.secrets.list();
    expect(list.map((s) => s.name)).toEqual(['a_secret', 'b_secret']);
    expect(JSON.stringify(list)).not.toContain('value-');
    expect(await vault.secrets.delete('a_secret')).toBe(true);
    expect(await vault.secrets.delete('a_secret')).toBe(false);
    expect(await vault.secrets.get('a_secret')).toBeUndefined();
  });

  it('falls back to KHAOSFLOW_SECRET_<NAME> for names the database lacks', async () => {
    await clearVault();
    const vault = await vaultWithKey(tdb.db, newKeyText(), { KHAOSFLOW_SECRET_SLACK_TOKEN: 'xoxb-env' });
    expect(await vault.secrets.get('slack_token')).toBe('xoxb-env');
    await vault.secrets.set('slack_token', 'xoxb-db');
    expect(await vault.secrets.getMany(['slack_token', 'missing'])).toEqual({ slack_token: 'xoxb-db' });
    expect(await vault.secrets.get('key')).toBeUndefined();
  });

  it('refuses names that cannot be written as {{secrets.NAME}}', async () => {
    await clearVault();
    const vault = await vaultWithKey(tdb.db, newKeyText());
    await expect(vault.secrets.set('api-token', 'x')).rejects.toThrow(
      /"api-token" is not a valid secret name: use letters, digits and underscores/,
    );
  });
});

describe('start-up key check', () => {
  it('fails with a message saying which key is wrong and what to do', async () => {
    await clearVault();
    const right = newKeyText();
    const vault = await vaultWithKey(tdb.db, right);
    await vault.secrets.set('api_token', 'abc123456');
    const wrong = newKeyText();
    const err = await vaultWithKey(tdb.db, wrong).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VaultKeyError);
    expect((err as Error).message).toMatch(
      /^The secret key does not match this database: KHAOSFLOW_SECRET_KEY \(key id [0-9a-f]{16}\) cannot decrypt 1 secret\(s\) stored with key id [0-9a-f]{16}\. Set KHAOSFLOW_SECRET_KEY to the key they were stored with/,
    );
    // The right key still opens it, and nothing was overwritten.
    expect(await (await vaultWithKey(tdb.db, right)).secrets.get('api_token')).toBe('abc123456');
  });

  it('detects a tampered key check value', async () => {
    await clearVault();
    const key = newKeyText();
    await vaultWithKey(tdb.db, key);
    await tdb.db
      .updateTable('khaosflow.vault_keys')
      .set({ check_tag: randomBytes(16) })
      .execute();
    await expect(vaultWithKey(tdb.db, key)).rejects.toThrow(/check value .* does not decrypt .*vault_keys row was altered/);
  });
});

describe('key rotation', () => {
  it('re-encrypts every secret online, keeps old-key processes reading, and retires the old key at the first start with the new one', async () => {
    await clearVault();
    const oldKey = newKeyText();
    const admin = await vaultWithKey(tdb.db, oldKey);
    const running = await vaultWithKey(tdb.db, oldKey); // another process, still on the old key
    const values = Object.fromEntries(
      Array.from({ length: 25 }, (_, i) => [`secret_${i}`, `value-${i}-${randomBytes(4).toString('hex')}`]),
    );
    for (const [name, value] of Object.entries(values)) await admin.secrets.set(name, value);

    const newKey = randomBytes(32);
    const result = await rotateMasterKey(tdb.db, admin.keyring, newKey, { batchSize: 10 });
    expect(result).toMatchObject({ fromKeyId: keyIdOf(parseMasterKey(oldKey, 'k')), toKeyId: keyIdOf(newKey), reencrypted: 25 });
    const ids = await tdb.db.selectFrom('khaosflow.secrets').select('key_id').distinct().execute();
    expect(ids).toEqual([{ key_id: keyIdOf(newKey) }]);

    // The process that never saw the new key reads rotated values, and writes with the new key.
    expect(await running.secrets.getMany(Object.keys(values))).toEqual(values);
    await running.secrets.set('written_after', 'still-fine');
    const written = await tdb.db
      .selectFrom('khaosflow.secrets')
      .select('key_id')
      .where('name', '=', 'written_after')
      .executeTakeFirstOrThrow();
    expect(written.key_id).toBe(keyIdOf(newKey));

    // A process started with the new key reads everything and retires the old key.
    const renewed = await vaultWithKey(tdb.db, newKey.toString('hex'));
    expect(await renewed.secrets.getMany(Object.keys(values))).toEqual(values);
    await expect(vaultWithKey(tdb.db, oldKey)).rejects.toThrow(/does not match this database/);
  });

  it('resumes an interrupted rotation and refuses to start on the new key until it is finished', async () => {
    await clearVault();
    const oldKey = newKeyText();
    const admin = await vaultWithKey(tdb.db, oldKey);
    for (let i = 0; i < 5; i++) await admin.secrets.set(`s${i}`, `v${i}-xyz`);
    const newKey = randomBytes(32);
    await rotateMasterKey(tdb.db, admin.keyring, newKey);
    // Simulate an interruption: two rows back on the old key.
    const old = await vaultWithKey(tdb.db, oldKey, {}, tempHome());
    await tdb.db.deleteFrom('khaosflow.secrets').where('name', 'in', ['s0', 's1']).execute();
    const oldSeal = (name: string, value: string) =>
      seal(parseMasterKey(oldKey, 'k'), old.master.keyId, value, secretAad(name, old.master.keyId));
    await tdb.db
      .insertInto('khaosflow.secrets')
      .values([
        { name: 's0', ...oldSeal('s0', 'v0-xyz') },
        { name: 's1', ...oldSeal('s1', 'v1-xyz') },
      ])
      .execute();

    await expect(vaultWithKey(tdb.db, newKey.toString('base64'))).rejects.toThrow(
      /A key rotation to .* is not finished: 2 secret\(s\) are still encrypted/,
    );
    const again = await rotateMasterKey(tdb.db, (await vaultWithKey(tdb.db, oldKey)).keyring, newKey);
    expect(again.reencrypted).toBe(2);
    const renewed = await vaultWithKey(tdb.db, newKey.toString('base64'));
    expect(await renewed.secrets.getMany(['s0', 's1', 's4'])).toEqual({ s0: 'v0-xyz', s1: 'v1-xyz', s4: 'v4-xyz' });
  });

  it('refuses to rotate to the key already in use', async () => {
    await clearVault();
    const key = newKeyText();
    const vault = await vaultWithKey(tdb.db, key);
    await expect(rotateMasterKey(tdb.db, vault.keyring, parseMasterKey(key, 'k'))).rejects.toThrow(/already in use/);
  });
});
