import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewTemplate } from '../../server/email-templates/render.js';
import { createEmailTemplateStore } from '../../server/email-templates/store.js';
import { createVariableStore, parseVariableValue } from '../../server/variables/store.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { tempHome } from '../helpers/vault.js';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(() => tdb.drop());

describe('variables', () => {
  it('come from the database (any JSON value) over the environment', async () => {
    const vars = createVariableStore(tdb.db, {
      env: { KHAOSFLOW_VAR_KHAOSBASE_URL: 'https://env.example.com', KHAOSFLOW_VAR_REGION: 'eu' },
      cacheMs: 0,
    });
    expect(await vars.all()).toEqual({ khaosbase_url: 'https://env.example.com', region: 'eu' });
    await vars.set('khaosbase_url', 'https://kb.example.com');
    await vars.set('limits', { orders: 10, strict: true });
    expect(await vars.all()).toEqual({ khaosbase_url: 'https://kb.example.com', region: 'eu', limits: { orders: 10, strict: true } });
    expect((await vars.list()).map((v) => `${v.name}:${v.source}`)).toEqual(['khaosbase_url:database', 'limits:database', 'region:env']);
    expect(await vars.delete('limits')).toBe(true);
    expect(await vars.delete('limits')).toBe(false);
    await expect(vars.set('bad-name', 1)).rejects.toThrow(/"bad-name" is not a valid variable name/);
  });

  it('see their own writes at once despite the cache', async () => {
    const vars = createVariableStore(tdb.db, { cacheMs: 60_000 });
    await vars.all();
    await vars.set('fresh', 1);
    expect((await vars.all()).fresh).toBe(1);
  });

  it('read command-line values as JSON when they parse, else as text', () => {
    expect(parseVariableValue('10')).toBe(10);
    expect(parseVariableValue('true')).toBe(true);
    expect(parseVariableValue('{"a":1}')).toEqual({ a: 1 });
    expect(parseVariableValue('https://kb.example.com')).toBe('https://kb.example.com');
    expect(parseVariableValue('01234')).toBe('01234');
    expect(parseVariableValue('10', { asString: true })).toBe('10');
  });
});

describe('email templates', () => {
  const order = {
    name: 'order_confirmation',
    subject: 'Order {{order.id}}\nBcc: evil@example.com',
    html: '<p>Hello {{customer.name}}, total {{order.total}}</p>',
    text: 'Hello {{customer.name}}',
  };
  const data = { order: { id: 7, total: 12.5 }, customer: { name: '<Ada & "Bob">' } };

  it('preview renders subject, html (escaped) and text with sample data', async () => {
    expect(await previewTemplate(order, data)).toEqual({
      subject: 'Order 7 Bcc: evil@example.com',
      html: '<p>Hello &lt;Ada &amp; &quot;Bob&quot;&gt;, total 12.5</p>',
      text: 'Hello <Ada & "Bob">',
    });
  });

  it('preview says which part of which template is wrong', async () => {
    await expect(previewTemplate({ ...order, html: '<p>{{ order.( }}</p>' }, data)).rejects.toThrow(
      /^Email template "order_confirmation", html: /,
    );
  });

  it('come from the database first, then $KHAOSFLOW_HOME/templates/<name>.yaml', async () => {
    const dir = path.join(tempHome(), 'templates');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'welcome.yaml'), 'subject: Welcome {{user.name}}\ntext: |\n  Hi {{user.name}}\n');
    fs.writeFileSync(path.join(dir, 'order_confirmation.yaml'), 'subject: from the file\ntext: file\n');
    fs.writeFileSync(path.join(dir, 'broken.yaml'), 'subject: no parts\n');
    const store = createEmailTemplateStore(tdb.db, { dir });
    await store.set(order);
    expect(await store.get('order_confirmation')).toEqual(order);
    expect(await store.get('welcome')).toEqual({
      name: 'welcome',
      subject: 'Welcome {{user.name}}',
      html: null,
      text: 'Hi {{user.name}}\n',
    });
    expect(await store.get('nothing')).toBeNull();
    await expect(store.get('broken')).rejects.toThrow(/broken\.yaml needs an html part, a text part, or both/);
    await expect(store.set({ name: 'x', subject: '', html: 'h', text: null })).rejects.toThrow(/needs a subject/);
    fs.rmSync(path.join(dir, 'broken.yaml'));
    expect((await store.list()).map((t) => `${t.name}:${t.source}`)).toEqual(['order_confirmation:database', 'welcome:file']);
    expect(await store.delete('order_confirmation')).toBe(true);
    expect((await store.get('order_confirmation'))!.subject).toBe('from the file');
  });
});
