// The spec's trigger snippets, as written, and what they normalize to.
import { describe, expect, it } from 'vitest';
import { exampleFile } from '../../test/workflow/example-file.js';

const example = (name: string) => exampleFile(new URL(`./${name}`, import.meta.url));

describe('trigger examples', () => {
  it('webhook.yaml: POST with an API key header, served at /webhook', () => {
    const { workflow, warnings } = example('webhook.yaml');
    expect(warnings).toEqual([]);
    expect(workflow).toMatchObject({ name: 'webhook', slug: 'webhook', steps: [] });
    expect(workflow.trigger).toEqual({
      type: 'webhook',
      url: 'https://khaosflow.local/hooks/{workflow_id}',
      method: 'POST',
      authentication: { type: 'api_key', header: 'X-API-Key' },
      path: '/webhook',
    });
  });

  it('schedule.yaml: weekdays at 9 AM in Chicago, given as cron and as text', () => {
    expect(example('schedule.yaml').workflow.trigger).toEqual({
      type: 'schedule',
      cron: '0 9 * * 1-5',
      schedule: 'every weekday at 9am',
      timezone: 'America/Chicago',
      catch_up: 'latest',
    });
  });

  it('manual.yaml: a confirmed button with an environment choice', () => {
    expect(example('manual.yaml').workflow.trigger).toEqual({
      type: 'manual',
      button_label: 'Run Backup',
      confirmation: true,
      parameters: [{ name: 'environment', type: 'select', options: ['dev', 'staging', 'prod'], required: false }],
    });
  });

  it('database.yaml: new orders rows on postgres_main', () => {
    expect(example('database.yaml').workflow.trigger).toEqual({
      type: 'database',
      connection: 'postgres_main',
      table: 'orders',
      events: ['INSERT'],
      filter: "status = 'new'",
    });
  });

  it('file-watcher.yaml: CSV files created in /data/uploads/', () => {
    expect(example('file-watcher.yaml').workflow.trigger).toEqual({
      type: 'file_watcher',
      path: '/data/uploads/',
      pattern: '*.csv',
      events: ['created'],
      recursive: false,
    });
  });

  it('email.yaml: new messages in INBOX whose subject contains Invoice', () => {
    expect(example('email.yaml').workflow.trigger).toMatchObject({
      type: 'email',
      mailbox: 'INBOX',
      filter: { subject: 'Invoice' },
      mark_seen: true,
    });
  });
});
