// Every trigger type normalizes to what its listener needs.
import { describe, expect, it } from 'vitest';
import { validWorkflow, yaml } from './helpers.js';

const trigger = (...lines: string[]) =>
  validWorkflow(yaml('name: Orders', 'trigger:', ...lines.map((line) => `  ${line}`))).workflow.trigger;

describe('triggers', () => {
  it('serves a webhook at /<workflow slug> unless a path is given', () => {
    expect(trigger('type: webhook')).toEqual({ type: 'webhook', path: '/orders', method: 'POST', authentication: { type: 'none' } });
    expect(trigger('type: webhook', 'path: /orders/new', 'method: PUT')).toMatchObject({ path: '/orders/new', method: 'PUT' });
  });

  it('reads webhook authentication, response and dedupe key', () => {
    expect(
      trigger(
        'type: webhook',
        'authentication: {type: hmac, secret: shop_signing_key, prefix: "sha256="}',
        'respond: {status: 200, body: {ok: true}}',
        'dedupe_key: "{{trigger.headers.`x-delivery-id`}}"',
      ),
    ).toMatchObject({
      authentication: {
        type: 'hmac',
        header: 'X-KhaosFlow-Signature',
        secret: 'shop_signing_key',
        algorithm: 'sha256',
        prefix: 'sha256=',
        timestamp_header: 'X-KhaosFlow-Timestamp',
        tolerance: 300_000,
      },
      respond: { mode: 'async', status: 200, body: { ok: true } },
      dedupe_key: '{{trigger.headers.`x-delivery-id`}}',
    });
    expect(trigger('type: webhook', 'authentication: {type: api_key}')).toMatchObject({
      authentication: { type: 'api_key', header: 'X-API-Key' },
    });
    expect(trigger('type: webhook', 'respond: sync')).toMatchObject({ respond: { mode: 'sync', timeout: 30_000, status: 202 } });
    expect(trigger('type: webhook', 'authentication: {type: hmac, secrets: [new_key, old_key], tolerance: 60s}')).toMatchObject({
      authentication: { secrets: ['new_key', 'old_key'], tolerance: 60_000 },
    });
  });

  it('turns a natural-language schedule into cron, in UTC by default', () => {
    expect(trigger('type: schedule', 'schedule: every monday at 17:30')).toEqual({
      type: 'schedule',
      schedule: 'every monday at 17:30',
      cron: '30 17 * * 1',
      timezone: 'UTC',
      catch_up: 'latest',
    });
  });

  it('canonicalizes time zone aliases and reads catch_up', () => {
    expect(trigger('type: schedule', 'cron: "*/15 * * * *"', 'timezone: US/Eastern', 'catch_up: true')).toMatchObject({
      timezone: 'America/New_York',
      catch_up: 'latest',
    });
    expect(trigger('type: schedule', 'cron: "0 0 * * *"', 'catch_up: all')).toMatchObject({ catch_up: 'all' });
  });

  it('fills in manual trigger parameters', () => {
    expect(
      trigger(
        'type: manual',
        'parameters:',
        '  - {name: dry_run, type: boolean, default: true}',
        '  - {name: env, type: select, options: [dev, prod], required: true}',
      ),
    ).toEqual({
      type: 'manual',
      confirmation: false,
      parameters: [
        { name: 'dry_run', type: 'boolean', default: true, required: false },
        { name: 'env', type: 'select', options: ['dev', 'prod'], required: true },
      ],
    });
  });

  it('lists database events in upper case', () => {
    expect(trigger('type: database', 'table: orders', 'event: [insert, UPDATE, Insert]')).toEqual({
      type: 'database',
      table: 'orders',
      events: ['INSERT', 'UPDATE'],
    });
    expect(trigger('type: database', 'table: orders')).toMatchObject({ events: ['INSERT'] });
  });

  it('lists file watcher events with a debounce in milliseconds', () => {
    expect(trigger('type: file_watcher', 'path: /data/in', 'event: [created, modified]', 'debounce: 2s')).toEqual({
      type: 'file_watcher',
      path: '/data/in',
      events: ['created', 'modified'],
      recursive: false,
      debounce: 2000,
    });
  });

  it('reads an email (IMAP) trigger', () => {
    expect(trigger('type: email', 'connection: support_inbox', 'filter: {unseen: true}')).toEqual({
      type: 'email',
      connection: 'support_inbox',
      mailbox: 'INBOX',
      filter: { unseen: true },
      mark_seen: true,
    });
  });
});
