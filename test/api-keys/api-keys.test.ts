import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyPrefix, hashApiKey } from '../../server/api-keys/format.js';
import { createApiKey, listApiKeys, parseScopes, revokeApiKey } from '../../server/api-keys/store.js';
import { verifyApiKey } from '../../server/api-keys/verify.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(() => tdb.drop());

describe('API keys', () => {
  it('are shown once as kf_<prefix>_<secret> and stored only as a SHA-256 hash', async () => {
    const { key, info } = await createApiKey(tdb.db, { name: 'shop' });
    expect(key).toMatch(/^kf_[a-z0-9]{8}_[0-9A-Za-z]{32}$/);
    expect(apiKeyPrefix(key)).toBe(info.prefix);
    expect(info).not.toHaveProperty('hash');
    const row = await tdb.db.selectFrom('khaosflow.api_keys').selectAll().where('id', '=', info.id).executeTakeFirstOrThrow();
    expect(row.hash.equals(hashApiKey(key))).toBe(true);
    const everything = JSON.stringify(await tdb.pool.query('select * from khaosflow.api_keys')).toString();
    expect(everything).not.toContain(key.slice(12));
    expect(JSON.stringify(await listApiKeys(tdb.db))).not.toContain(key.slice(12));
  });

  it('accept the right key with its scope, with or without "Bearer", and track last use cheaply', async () => {
    const { key, info } = await createApiKey(tdb.db, { scopes: ['read', 'write'] });
    const first = await verifyApiKey(tdb.db, `Bearer ${key}`, { scope: 'write' });
    expect(first).toMatchObject({ ok: true, key: { id: info.id } });
    const usedAt = (
      await tdb.db.selectFrom('khaosflow.api_keys').select('last_used_at').where('id', '=', info.id).executeTakeFirstOrThrow()
    ).last_used_at;
    expect(usedAt).toBeInstanceOf(Date);
    expect(await verifyApiKey(tdb.db, key, { scope: 'read' })).toMatchObject({ ok: true }); // write implies read
    const again = (await tdb.db.selectFrom('khaosflow.api_keys').select('last_used_at').where('id', '=', info.id).executeTakeFirstOrThrow())
      .last_used_at;
    expect(again).toEqual(usedAt); // not rewritten within a minute
  });

  it('refuse malformed, unknown and tampered keys', async () => {
    const { key } = await createApiKey(tdb.db);
    expect(await verifyApiKey(tdb.db, undefined, { scope: 'read' })).toMatchObject({ ok: false, reason: 'malformed' });
    expect(await verifyApiKey(tdb.db, 'kf_short', { scope: 'read' })).toMatchObject({ ok: false, reason: 'malformed' });
    const tampered = key.slice(0, -1) + (key.endsWith('a') ? 'b' : 'a');
    expect(await verifyApiKey(tdb.db, tampered, { scope: 'read' })).toMatchObject({
      ok: false,
      reason: 'unknown',
      message: 'This API key is not valid.',
    });
    expect(await verifyApiKey(tdb.db, `kf_zzzzzzzz_${key.slice(12)}`, { scope: 'read' })).toMatchObject({ ok: false, reason: 'unknown' });
  });

  it('refuse revoked keys, by id or by prefix', async () => {
    const a = await createApiKey(tdb.db);
    const b = await createApiKey(tdb.db);
    expect(await revokeApiKey(tdb.db, String(a.info.id))).toMatchObject({ id: a.info.id, revoked_at: expect.any(Date) });
    expect(await revokeApiKey(tdb.db, b.info.prefix)).toMatchObject({ id: b.info.id });
    expect(await revokeApiKey(tdb.db, 'nothing1')).toBeNull();
    for (const { key, info } of [a, b]) {
      expect(await verifyApiKey(tdb.db, key, { scope: 'read' })).toMatchObject({
        ok: false,
        reason: 'revoked',
        message: `API key ${info.prefix} was revoked; create a new one with \`khaosflow keys create\`.`,
      });
    }
    expect((await listApiKeys(tdb.db)).map((k) => k.id)).not.toContain(a.info.id);
    expect((await listApiKeys(tdb.db, { includeRevoked: true })).map((k) => k.id)).toContain(a.info.id);
  });

  it('hold their scope and workflow restrictions', async () => {
    const hook = await createApiKey(tdb.db, { workflowSlug: 'order-processing', scopes: parseScopes(undefined, 'order-processing') });
    expect(hook.info.scopes).toEqual(['webhook']);
    expect(await verifyApiKey(tdb.db, hook.key, { scope: 'webhook', workflowSlug: 'order-processing' })).toMatchObject({ ok: true });
    expect(await verifyApiKey(tdb.db, hook.key, { scope: 'webhook', workflowSlug: 'payroll' })).toMatchObject({
      ok: false,
      reason: 'workflow',
      message: `API key ${hook.info.prefix} is limited to workflow "order-processing".`,
    });
    expect(await verifyApiKey(tdb.db, hook.key, { scope: 'webhook' })).toMatchObject({ ok: false, reason: 'workflow' });
    expect(await verifyApiKey(tdb.db, hook.key, { scope: 'read', workflowSlug: 'order-processing' })).toMatchObject({
      ok: false,
      reason: 'scope',
      message: expect.stringContaining('does not have the "read" scope (it has webhook)'),
    });

    const reader = await createApiKey(tdb.db, { scopes: ['read'] });
    expect(await verifyApiKey(tdb.db, reader.key, { scope: 'read', workflowSlug: 'anything' })).toMatchObject({ ok: true });
    expect(await verifyApiKey(tdb.db, reader.key, { scope: 'write' })).toMatchObject({ ok: false, reason: 'scope' });
    expect(await verifyApiKey(tdb.db, reader.key, { scope: 'webhook' })).toMatchObject({ ok: false, reason: 'scope' });
  });

  it('parse scopes from the command line', () => {
    expect(parseScopes(undefined, null)).toEqual(['read', 'write', 'webhook']);
    expect(parseScopes(['read,webhook', 'read'], null)).toEqual(['read', 'webhook']);
    expect(() => parseScopes(['admin'], null)).toThrow('Unknown scope "admin": use read, write and/or webhook.');
  });
});
