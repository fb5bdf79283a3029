// One Zapier app family at a time (list-form exports): what each node becomes, and -
// where the result is computed - that it computes what Zapier did.
import { describe, expect, it } from 'vitest';
import type { ActionStep, LoopStep } from '../../server/workflow/types.js';
import { evaluate, importValid, listExport, only, stepNamed } from './helpers.js';

const hook = { app: 'WebHookAPI', action: 'hook' };
const importList = (trigger: Record<string, unknown>, actions: Record<string, unknown>[], timezone?: string) =>
  importValid(listExport(trigger, actions), 'export.json', timezone);
const actionOf = (imported: ReturnType<typeof importList>, name: string) => (stepNamed(only(imported), name) as ActionStep).action;
const nodeReport = (imported: ReturnType<typeof importList>, id: string) =>
  imported.report.zaps[0]!.nodes.find((node) => node.node_id === id)!;

describe('Schedule by Zapier', () => {
  it('maps every_hour, every_day and every_month with their time, weekend and time zone params', () => {
    const hourly = importList({ app: 'ScheduleAPI', action: 'every_hour', params: { trigger_on_weekends: 'no' } }, [], 'Europe/Berlin');
    expect(only(hourly).trigger).toMatchObject({ type: 'schedule', cron: '0 * * * 1-5', timezone: 'Europe/Berlin' });
    expect(nodeReport(hourly, '1').status).toBe('converted');
    const daily = importList({ app: 'ScheduleAPI', action: 'every_day', params: { hod: '8am', trigger_on_weekends: 'yes' } }, [], 'UTC');
    expect(only(daily).trigger).toMatchObject({ cron: '0 8 * * *', timezone: 'UTC' });
    const monthly = importList(
      { app: 'ScheduleAPI', action: 'every_month', params: { dom: '15', hod: '5:30pm', timezone: 'Europe/Paris' } },
      [],
    );
    expect(only(monthly).trigger).toMatchObject({ cron: '30 17 15 * *', timezone: 'Europe/Paris' });
    expect(nodeReport(monthly, '1').status).toBe('converted');
    const midnight = importList({ app: 'ScheduleAPI', action: 'every_week', params: { dow: 'Sunday', hod: '12am' } }, [], 'UTC');
    expect(only(midnight).trigger).toMatchObject({ cron: '0 0 * * 0' });
  });
});

describe('Webhooks by Zapier', () => {
  it('verifies a catch hook as its sender signs it when the step title names the app, and an app trigger of a signing app', () => {
    const fromStripe = importList({ ...hook, title: 'Catch Hook from Stripe' }, []);
    expect(only(fromStripe).trigger).toMatchObject({
      type: 'webhook',
      authentication: { type: 'stripe', secret: 'test_zap_stripe_secret' },
    });
    expect(nodeReport(fromStripe, '1')).toMatchObject({ status: 'needs_review', secrets: ['test_zap_stripe_secret'] });
    expect(nodeReport(fromStripe, '1').notes.join(' ')).toContain('khaosflow secrets set test_zap_stripe_secret');
    const github = importList({ app: 'GitHubAPI', action: 'new_push' }, []);
    expect(only(github).trigger).toMatchObject({ authentication: { type: 'github', secret: 'test_zap_github_secret' } });
    // Nothing says who sends it (or two apps are named): no signature is assumed.
    expect(only(importList(hook, [])).trigger).toMatchObject({ authentication: { type: 'none' } });
    expect(only(importList({ ...hook, title: 'Shopify order to Slack' }, [])).trigger).toMatchObject({ authentication: { type: 'none' } });
  });

  it('catches hooks at /hooks/<workflow slug> and POSTs JSON whose answer later steps read', async () => {
    const imported = importList(hook, [
      {
        app: 'WebHookAPI',
        action: 'post',
        params: {
          url: 'https://api.example.com/orders/{{1__id}}',
          payload_type: 'json',
          data: { customer__name: '{{1__name}}', total: '{{1__total}}' },
          headers: { 'X-Source': 'khaosflow' },
          basic_auth: 'shop|s3cret',
        },
      },
      {
        app: 'WebHookAPI',
        action: 'get',
        params: { url: 'https://api.example.com/receipts/{{2__receipt__id}}', params: { format: 'pdf' } },
      },
    ]);
    const workflow = only(imported);
    expect(workflow.trigger).toMatchObject({ type: 'webhook', path: '/test-zap' });
    expect(actionOf(imported, 'Webhook POST')).toEqual({
      type: 'http_request',
      method: 'POST',
      url: 'https://api.example.com/orders/{{trigger.data.id}}',
      headers: { 'X-Source': 'khaosflow' },
      body: { customer: { name: '{{trigger.data.name}}' }, total: '{{trigger.data.total}}' },
      body_type: 'json',
      auth: { type: 'basic', username: 'shop', password: '{{secrets.webhook_post_password}}' },
      response_type: 'auto',
      fail_on_status: true,
      follow_redirects: true,
    });
    expect(actionOf(imported, 'Webhook GET')).toMatchObject({
      method: 'GET',
      url: 'https://api.example.com/receipts/{{steps.webhook_post.result.body.receipt.id}}',
      query: { format: 'pdf' },
    });
    expect(nodeReport(imported, '2')).toMatchObject({ status: 'needs_review', secrets: ['webhook_post_password'] });
    expect(nodeReport(imported, '3').status).toBe('converted');
    expect(JSON.stringify(workflow)).not.toContain('s3cret');
  });
});

describe('Delay by Zapier', () => {
  it('waits for a value and unit, weeks in days, and a referenced amount computed at run time', async () => {
    const imported = importList(hook, [
      { app: 'DelayAPI', action: 'delay_for', params: { delay_for_value: '10', delay_for_unit: 'minutes' } },
      { app: 'DelayAPI', action: 'delay_for', params: { delay_for_value: '2', delay_for_unit: 'weeks' } },
      { app: 'DelayAPI', action: 'delay_for', params: { delay_for_value: '{{1__hours}}', delay_for_unit: 'hours' } },
      { app: 'DelayAPI', action: 'delay_until', params: { delay_until_date: '2030-01-31T09:00:00Z +1d' } },
    ]);
    const delays = only(imported).steps.map((step) => (step as ActionStep).action);
    expect(delays.map((d) => d.duration ?? d.until)).toEqual([
      600_000,
      1_209_600_000,
      '{{ number(trigger.data.hours) * 3600000 }}',
      '2030-02-01T09:00:00.000Z',
    ]);
    expect(await evaluate(delays[2]!.duration, { trigger: { data: { hours: '1.5' } } })).toBe(5_400_000);
    expect(imported.report.zaps[0]!.nodes.slice(1).map((n) => n.status)).toEqual(['converted', 'converted', 'converted', 'converted']);
  });
});

describe('Code by Zapier', () => {
  const runScript = async (code: string, context: unknown) => {
    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
      ...args: string[]
    ) => (context: unknown) => Promise<unknown>;
    return new AsyncFunction('context', 'require', code)(context);
  };

  it('runs the JavaScript with inputData rebuilt from the run, whether it sets output or returns', async () => {
    const imported = importList(hook, [
      {
        app: 'CodeAPI',
        action: 'run_javascript',
        params: {
          input_data: { name: '{{1__user__name}}', greeting: 'Hi {{1__user__name}}!' },
          code: 'output = {upper: inputData.name.toUpperCase(), greeting: inputData.greeting};',
        },
      },
      {
        app: 'CodeAPI',
        action: 'run_javascript',
        params: { input_data: { previous: '{{2__upper}}' }, code: 'const output = {len: inputData.previous.length};\nreturn output;' },
      },
    ]);
    const first = actionOf(imported, 'Run JavaScript');
    expect(first).toMatchObject({ type: 'run_script', runtime: 'node' });
    const context = { trigger: { data: { user: { name: 'ada' } } }, steps: {} as Record<string, unknown> };
    const result = await runScript(first.code as string, context);
    expect(result).toEqual({ upper: 'ADA', greeting: 'Hi ada!' });
    context.steps.run_javascript = { result };
    expect(await runScript(actionOf(imported, 'Run JavaScript 2').code as string, context)).toEqual({ len: 3 });
    expect(nodeReport(imported, '2').status).toBe('converted');
  });

  it('runs Python with runtime: python and flags it for review', () => {
    const imported = importList(hook, [
      {
        app: 'CodeAPI',
        action: 'run_python',
        params: { input_data: { n: '{{1__n}}' }, code: "output = {'double': int(input_data['n']) * 2}" },
      },
    ]);
    const action = actionOf(imported, 'Run Python');
    expect(action).toMatchObject({ type: 'run_script', runtime: 'python' });
    expect(action.code).toContain('"n": text(dig(context, "trigger", "data", "n")),');
    expect(action.code).toContain("    output = {'double': int(input_data['n']) * 2}");
    expect(nodeReport(imported, '2').status).toBe('needs_review');
  });
});

describe('Email', () => {
  it('sends Email by Zapier and SMTP mails with send_email', () => {
    const imported = importList(hook, [
      {
        app: 'EmailAPI',
        action: 'send',
        params: { to: 'a@example.com, b@example.com', subject: 'Order {{1__id}}', body: '<p>Thanks {{1__name}}</p>' },
      },
      {
        app: 'SMTPAPI',
        action: 'send_email',
        params: {
          from_email: 'shop@example.com',
          from_name: 'Shop',
          to: '{{1__email}}',
          cc: 'boss@example.com',
          subject: 'Copy',
          body: 'Plain {{1__name}}',
        },
      },
    ]);
    expect(actionOf(imported, 'Send Email')).toEqual({
      type: 'send_email',
      to: ['a@example.com', 'b@example.com'],
      subject: 'Order {{trigger.data.id}}',
      html: '<p>Thanks {{trigger.data.name}}</p>',
    });
    expect(actionOf(imported, 'Send Email 2')).toEqual({
      type: 'send_email',
      from: 'Shop <shop@example.com>',
      to: '{{trigger.data.email}}',
      cc: 'boss@example.com',
      subject: 'Copy',
      text: 'Plain {{trigger.data.name}}',
    });
    expect(nodeReport(imported, '3').status).toBe('converted');
  });
});

describe('Formatter by Zapier', () => {
  it('computes text, number and date formats with expressions; the result is {output}', async () => {
    const imported = importList(hook, [
      { app: 'FormatterV2API', action: 'text', params: { transform: 'titlecase', inputs: '{{1__name}}' } },
      { app: 'FormatterV2API', action: 'text', params: { transform: 'split', inputs: '{{1__email}}', separator: '@', index: 'last' } },
      {
        app: 'FormatterV2API',
        action: 'number',
        params: { transform: 'math', operation: 'multiply', inputs: ['{{1__price}}', '{{1__quantity}}'] },
      },
      {
        app: 'FormatterV2API',
        action: 'date',
        params: { transform: 'formatting', inputs: '{{1__at}}', to_format: 'DD MMMM YYYY HH:mm', to_timezone: 'Europe/Paris' },
      },
      {
        app: 'SlackAPI',
        action: 'channel_message',
        params: { channel: 'C1', text: '{{2__output}} ({{3__output}}) owes {{4__output}} since {{5__output}}' },
      },
    ]);
    const context = {
      trigger: { data: { name: 'ada lovelace', email: 'ada@example.com', price: '2.5', quantity: 4, at: '2024-03-05T10:00:00Z' } },
    };
    const outputs = [];
    for (const name of ['Format Text', 'Format Text 2', 'Format Number', 'Format Date']) {
      const action = actionOf(imported, name);
      expect(action).toMatchObject({ type: 'transform', operation: 'jq', filter: '.' });
      outputs.push(await evaluate(action.input, context));
    }
    expect(outputs).toEqual([{ output: 'Ada Lovelace' }, { output: 'example.com' }, { output: 10 }, { output: '05 March 2024 11:00' }]);
    expect((actionOf(imported, 'Slack Channel Message').body as { text: string }).text).toBe(
      '{{steps.format_text.result.output}} ({{steps.format_text_2.result.output}}) owes {{steps.format_number.result.output}} since {{steps.format_date.result.output}}',
    );
  });

  it('does not import a formatter it cannot express, and imports the zap disabled', () => {
    const imported = importList(hook, [
      { app: 'FormatterV2API', action: 'text', params: { transform: 'superhero', inputs: '{{1__name}}' } },
    ]);
    expect(actionOf(imported, 'Format Text')).toMatchObject({ type: 'log', level: 'warn' });
    expect(nodeReport(imported, '2').status).toBe('unsupported');
    expect(imported.workflows[0]!.enabled).toBe(false);
    expect(imported.report.zaps[0]!.disabled_because).toBe('1 step was not imported; enable it once they are replaced');
  });
});

describe('Looping by Zapier', () => {
  it('puts every later step into the loop and reads the loop values as item fields', async () => {
    const imported = importList(hook, [
      { app: 'LoopingCLIAPI@1.2.0', action: 'loop_from_text', params: { values: { color: '{{1__colors}}', size: '{{1__sizes}}' } } },
      {
        app: 'SlackAPI',
        action: 'channel_message',
        params: { channel: 'C1', text: 'Item {{2__loop_iteration}}: {{2__color}} / {{2__size}}' },
      },
    ]);
    const loop = only(imported).steps[0] as LoopStep;
    expect(loop.kind).toBe('loop');
    expect(loop.steps.map((s) => s.name)).toEqual(['Slack Channel Message']);
    expect(((loop.steps[0] as ActionStep).action.body as { text: string }).text).toBe(
      'Item {{item.loop_iteration}}: {{item.color}} / {{item.size}}',
    );
    expect(await evaluate(loop.over, { trigger: { data: { colors: 'red, green', sizes: 'S,M' } } })).toEqual([
      { color: 'red', size: 'S', loop_iteration: 1 },
      { color: 'green', size: 'M', loop_iteration: 2 },
    ]);
  });
});

describe('apps without a KhaosFlow action', () => {
  it('calls Slack through chat.postMessage with a bearer secret and names the step uniquely', () => {
    const imported = importList(hook, [
      { app: 'SlackAPI', action: 'channel_message', params: { channel: 'C1', text: 'One {{1__x}}', as_bot: 'yes' } },
      { app: 'SlackAPI', action: 'channel_message', params: { channel: 'C1', text: 'Two', thread_ts: '{{2__ts}}' } },
    ]);
    expect(actionOf(imported, 'Slack Channel Message')).toMatchObject({
      type: 'http_request',
      method: 'POST',
      url: 'https://slack.com/api/chat.postMessage',
      headers: { Authorization: 'Bearer {{secrets.slack_token}}' },
      body: { channel: 'C1', text: 'One {{trigger.data.x}}' },
      body_type: 'json',
    });
    expect(actionOf(imported, 'Slack Channel Message 2')).toMatchObject({
      body: { thread_ts: '{{steps.slack_channel_message.result.body.ts}}' },
    });
    expect(nodeReport(imported, '2')).toMatchObject({ status: 'needs_review', secrets: ['slack_token'] });
    expect(nodeReport(imported, '2').notes.join(' ')).toContain('Zapier params not sent: as_bot="yes"');
  });

  it('turns an unknown app into a warning log step carrying its params, and disables the workflow', () => {
    const imported = importList(hook, [{ app: 'AcmeCRMV2API@3.1.0', action: 'create_lead', params: { email: '{{1__email}}' } }]);
    expect(actionOf(imported, 'Acme CRM Create Lead')).toMatchObject({
      type: 'log',
      level: 'warn',
      data: { email: '{{trigger.data.email}}' },
    });
    expect(nodeReport(imported, '2')).toMatchObject({ status: 'unsupported', became: { name: 'Acme CRM Create Lead', type: 'log' } });
    expect(imported.workflows[0]!.enabled).toBe(false);
  });

  it("starts a zap with another app's trigger from a webhook that the app (or a relay) posts to", () => {
    const imported = importList({ app: 'TypeformAPI', action: 'form_response', params: { form_id: 'abc' } }, []);
    expect(only(imported).trigger).toMatchObject({ type: 'webhook', path: '/test-zap' });
    expect(nodeReport(imported, '1')).toMatchObject({ status: 'needs_review', became: { name: 'trigger', type: 'webhook trigger' } });
  });
});

describe('steps missing what they need', () => {
  it('become warning log steps instead of workflows that do not validate', () => {
    const imported = importList(hook, [
      { app: 'WebHookAPI', action: 'post', params: { data: { a: '1' } } },
      { app: 'SMTPAPI', action: 'send_email', params: { subject: 'Hi' } },
    ]);
    expect(only(imported).steps.map((step) => [step.name, (step as ActionStep).action.type])).toEqual([
      ['Webhook POST', 'log'],
      ['Send Email', 'log'],
    ]);
    expect(imported.report.zaps[0]!.nodes.slice(1).map((n) => n.status)).toEqual(['unsupported', 'unsupported']);
  });
});

describe('references', () => {
  it("maps Zapier's own values, keeps literal braces as text, and reports references to later steps", async () => {
    const imported = importList(hook, [
      {
        app: 'SlackAPI',
        action: 'channel_message',
        params: { channel: 'C1', text: 'At {{zap_meta_human_now}}: {{ not a field }} {{3__ts}}' },
      },
      { app: 'SlackAPI', action: 'channel_message', params: { channel: 'C1', text: 'x' } },
    ]);
    const text = (actionOf(imported, 'Slack Channel Message').body as { text: string }).text;
    expect(text).toBe('At {{now}}: {{ "{{" }} not a field }} {{ "{{" }}3__ts}}');
    expect(await evaluate(text, { now: '2024-01-01T00:00:00Z' })).toBe('At 2024-01-01T00:00:00Z: {{ not a field }} {{3__ts}}');
    expect(nodeReport(imported, '2').unresolved_references).toEqual(['{{3__ts}}']);
    expect(nodeReport(imported, '2').notes.join(' ')).toContain('node 3 does not run before this step');
  });
});
