// The six real Zapier exports: each imports into workflows that validate, the report
// lists every node, and the filters, schedules, delays and paths they hold come out as
// exact KhaosFlow triggers, conditions and delays.
import { describe, expect, it } from 'vitest';
import type { ActionStep, ConditionStep, ScheduleTrigger, WebhookTrigger } from '../../server/workflow/types.js';
import { actionNamed, evaluate, importValid, only, readFixture, realExports, stepNamed } from './helpers.js';

const importFixture = (file: string, timezone?: string) => importValid(readFixture(file), file, timezone);

describe('importing the real Zapier exports', () => {
  it('finds all six exports in the fixtures', () => {
    expect(realExports).toEqual([
      'add-saved-slack-messages-to-todoist.json',
      'biggroup.json',
      'copy-add-saved-slack-messages-to-todoist.json',
      'design-team-watercooler.json',
      'product-design-meeting-bot.json',
      'rifle-thursday-afternoon-forecast.json',
    ]);
  });

  for (const file of realExports) {
    it(`${file}: every workflow validates and the JSON report lists every node`, () => {
      const raw = readFixture(file) as { zaps: Array<{ nodes: Record<string, unknown> }> };
      const imported = importFixture(file);
      expect(imported.workflows).toHaveLength(raw.zaps.length);
      const report = JSON.parse(JSON.stringify(imported.report)) as typeof imported.report;
      raw.zaps.forEach((zap, i) => {
        expect(report.zaps[i]!.nodes.map((node) => node.node_id).sort()).toEqual(Object.keys(zap.nodes).sort());
      });
      const counted = report.totals.converted + report.totals.needs_review + report.totals.unsupported;
      expect(counted).toBe(report.totals.total);
    });
  }

  it('turns the weekly schedule into cron + time zone (UTC and flagged, or the zone given)', () => {
    const rifle = importFixture('rifle-thursday-afternoon-forecast.json');
    expect(only(rifle).trigger).toMatchObject({ type: 'schedule', cron: '0 15 * * 4', timezone: 'UTC' } satisfies Partial<ScheduleTrigger>);
    expect(rifle.report.zaps[0]!.nodes[0]).toMatchObject({ node_id: '1', status: 'needs_review', became: { type: 'schedule trigger' } });

    const denver = importFixture('rifle-thursday-afternoon-forecast.json', 'America/Denver');
    expect(only(denver).trigger).toMatchObject({ cron: '0 15 * * 4', timezone: 'America/Denver' });
    expect(denver.report.zaps[0]!.nodes[0]!.status).toBe('converted');

    const watercooler = importFixture('design-team-watercooler.json', 'America/Los_Angeles');
    expect(only(watercooler).trigger).toMatchObject({ type: 'schedule', cron: '0 8 * * 5', timezone: 'America/Los_Angeles' });
  });

  it('imports paused zaps disabled and the others enabled', () => {
    const enabled = Object.fromEntries(realExports.flatMap((file) => importFixture(file).workflows.map((w) => [w.slug, w.enabled])));
    expect(enabled).toEqual({
      'add-saved-slack-messages-to-todoist': true,
      biggrouptm: true,
      'copy-add-saved-slack-messages-to-todoist': false,
      'design-team-watercooler': true,
      'product-design-meeting-bot': true,
      'rifle-thursday-afternoon-forecast': false,
    });
  });

  it('translates the BigGroup filter and it passes and stops as Zapier would', async () => {
    const workflow = only(importFixture('biggroup.json'));
    const filter = stepNamed(workflow, 'Continue If Summary Contains BigGroups') as ConditionStep;
    expect(filter.if).toBe('{{ contains(lower(trigger.data.summary & ""), "biggroup") }}');
    expect(filter.then.map((step) => step.name)).toEqual([
      'Zoom Create Meeting',
      'One Day Reminder',
      'One Day Reminder (Thread)',
      'Delay Until 1 Hour Before',
      'One Hour Reminder (Thread)',
      'Delay Until Event Start',
      'Event Start Reminder (Thread)',
      'Delay Until 30 Minutes After',
      'Follow Up Reminder (Thread)',
    ]);
    expect(filter.else.map((step) => (step as ActionStep).action.type)).toEqual(['log']);
    expect(await evaluate(filter.if, { trigger: { data: { summary: 'Weekly BIGGROUP™ sync' } } })).toBe(true);
    expect(await evaluate(filter.if, { trigger: { data: { summary: 'Design standup' } } })).toBe(false);
    expect(await evaluate(filter.if, { trigger: { data: {} } })).toBe(false);
  });

  it('translates the BigGroup delays into exact until times and reads the thread ts from the Slack answer', () => {
    const workflow = only(importFixture('biggroup.json'));
    const until = (name: string) => (stepNamed(workflow, name) as ActionStep).action;
    expect(until('Delay Until 1 Hour Before')).toEqual({
      type: 'delay',
      until: '{{ fromMillis(toMillis(trigger.data.start.dateTime_pretty) - 3600000) }}',
    });
    expect(until('Delay Until Event Start')).toEqual({ type: 'delay', until: '{{trigger.data.start.dateTime_pretty}}' });
    expect(until('Delay Until 30 Minutes After')).toEqual({
      type: 'delay',
      until: '{{ fromMillis(toMillis(trigger.data.start.dateTime_pretty) + 1800000) }}',
    });
    const thread = actionNamed<{ body: Record<string, unknown> }>(workflow, 'One Hour Reminder (Thread)');
    expect(thread.body.thread_ts).toBe('{{steps.one_day_reminder.result.body.ts}}');
    const start = actionNamed<{ body: Record<string, unknown> }>(workflow, 'Event Start Reminder (Thread)');
    expect(start.body.text).toBe("@group-productdesign - it's go time -> {{steps.zoom_create_meeting.result.body.join_url}}");
  });

  it('computes the delay time from the trigger field with the real expression engine', async () => {
    const workflow = only(importFixture('biggroup.json'));
    const action = (stepNamed(workflow, 'Delay Until 1 Hour Before') as ActionStep).action;
    expect(await evaluate(action.until, { trigger: { data: { start: { dateTime_pretty: '2024-03-05T10:00:00.000Z' } } } })).toBe(
      '2024-03-05T09:00:00.000Z',
    );
  });

  it('turns Paths into independent conditions, one per path, with the "stop" rule negated', async () => {
    for (const file of ['add-saved-slack-messages-to-todoist.json', 'copy-add-saved-slack-messages-to-todoist.json']) {
      const workflow = only(importFixture(file));
      expect(workflow.steps.map((step) => [step.name, step.kind])).toEqual([
        ['Path A', 'condition'],
        ['Path B', 'condition'],
      ]);
      const [a, b] = workflow.steps as ConditionStep[];
      expect(a!.if).toBe('{{ contains(lower(trigger.data.channel.name & ""), "editor") }}');
      expect(b!.if).toBe('{{ not(contains(lower(trigger.data.channel.name & ""), "editor")) }}');
      expect(a!.else).toEqual([]);
      const task = (step: ConditionStep) =>
        (step.then[0] as ActionStep).action as unknown as { url: string; body: Record<string, unknown> };
      expect(task(a!).url).toBe('https://api.todoist.com/rest/v2/tasks');
      expect(task(a!).body).toEqual({
        content: 'Slack 💬  from {{trigger.data.user.name}} ',
        description: '{{trigger.data.text}}',
        project_id: '2228042278',
        priority: 1,
        labels: ['Slack'],
      });
      expect(task(b!).body).toMatchObject({ project_id: '377061993' });
      const editor = { trigger: { data: { channel: { name: 'Editor-Picks' } } } };
      const other = { trigger: { data: { channel: { name: 'random' } } } };
      expect([await evaluate(a!.if, editor), await evaluate(b!.if, editor)]).toEqual([true, false]);
      expect([await evaluate(a!.if, other), await evaluate(b!.if, other)]).toEqual([false, true]);
    }
  });

  it('keeps the Rifle forecast references to a node missing from the export verbatim and reports them', async () => {
    const imported = importFixture('rifle-thursday-afternoon-forecast.json');
    const workflow = only(imported);
    const filter = stepNamed(workflow, 'Filter') as ConditionStep;
    expect(filter.if).toBe('{{ number("{{75467864__temperatureHigh}}") > 45 and number("{{75467864__precipProbability}}") < 50 }}');
    const message = actionNamed<{ body: { text: string; channel: string } }>(workflow, 'Slack Direct Message');
    expect(message.body.channel).toBe('UR89RTNAK');
    expect(await evaluate(message.body.text, { trigger: { data: {} } })).toBe(
      'Rifle is looking 👌🏼 this weekend. High of {{75467864__temperatureHigh}}º and low of {{75467864__temperatureLow}}º with {{75467864__precipProbability}} chance of precipitation. ',
    );
    const nodes = imported.report.zaps[0]!.nodes;
    expect(nodes.find((n) => n.node_id === '2')).toMatchObject({
      status: 'needs_review',
      unresolved_references: ['{{75467864__temperatureHigh}}', '{{75467864__precipProbability}}'],
    });
    expect(nodes.find((n) => n.node_id === '3')!.unresolved_references).toHaveLength(3);
  });

  it('turns a Google Sheets lookup into a read plus a jq pick whose COL$ fields later steps read', () => {
    const workflow = only(importFixture('design-team-watercooler.json'));
    expect(workflow.steps.map((step) => step.name)).toEqual([
      'Google Sheets Lookup Row - Read Sheet',
      'Google Sheets Lookup Row',
      'Slack Channel Message',
      'Google Sheets Update Row',
    ]);
    const message = actionNamed<{ body: { text: string } }>(workflow, 'Slack Channel Message');
    expect(message.body.text).toContain('2. {{steps.google_sheets_lookup_row.result.`COL$A`}}');
    const update = actionNamed<{ body: unknown }>(workflow, 'Google Sheets Update Row');
    expect(update.body).toEqual({
      valueInputOption: 'USER_ENTERED',
      data: [{ range: 'Sheet1!B{{steps.google_sheets_lookup_row.result.id}}', values: [['Yes']] }],
    });
  });

  it("verifies the Slack trigger's events with Slack's signature, and names the signing secret to create", () => {
    const { workflows, report } = importFixture('add-saved-slack-messages-to-todoist.json');
    const trigger = workflows[0]!.yaml;
    expect(trigger).toContain('type: slack');
    const workflow = only(importFixture('add-saved-slack-messages-to-todoist.json'));
    expect((workflow.trigger as WebhookTrigger).authentication).toEqual({
      type: 'slack',
      secret: 'add_saved_slack_messages_to_todoist_slack_secret',
      tolerance: 300_000,
    });
    expect(report.secrets).toContainEqual({
      name: 'add_saved_slack_messages_to_todoist_slack_secret',
      used_by: ['add-saved-slack-messages-to-todoist'],
    });
    const root = report.zaps[0]!.nodes[0]!;
    expect(root.notes.join(' ')).toContain('Signing Secret');
  });

  it('reads the Quip thread link from the API answer in the Slack message', () => {
    const workflow = only(importFixture('product-design-meeting-bot.json'));
    expect((workflow.trigger as WebhookTrigger).path).toBe('/product-design-meeting-bot');
    const message = actionNamed<{ body: { text: string } }>(workflow, 'Slack Channel Message');
    expect(message.body.text).toMatch(/\{\{steps\.quip_document\.result\.body\.thread\.link\}\}$/);
  });

  it('counts statuses per zap and per app, and names the secrets to create', () => {
    const { report } = importFixture('biggroup.json');
    expect(report.totals).toEqual({ zaps: 1, total: 11, converted: 1, needs_review: 10, unsupported: 0 });
    expect(report.by_app.SlackAPI).toEqual({ total: 5, converted: 0, needs_review: 5, unsupported: 0 });
    expect(report.by_app.FilterAPI).toEqual({ total: 1, converted: 1, needs_review: 0, unsupported: 0 });
    expect(report.secrets).toEqual([
      { name: 'slack_token', used_by: ['biggrouptm'] },
      { name: 'zoom_token', used_by: ['biggrouptm'] },
    ]);
  });
});
