import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBench, stepsByName, type Bench } from '../../helpers/engine.js';
import { json, startHttpServer, type TestHttpServer } from './http-server.js';
import { runAction } from './step.js';

let bench: Bench;
let server: TestHttpServer;
beforeAll(async () => {
  [bench, server] = await Promise.all([startBench(), startHttpServer()]);
  server.route('POST', '/alerts', (_req, res) => json(res, 202, { accepted: true }));
});
afterAll(async () => {
  await server?.close();
  await bench?.stop();
});

describe('webhook action', () => {
  it('posts the workflow, the run and the error when a run fails (on_failure)', async () => {
    const { slug } = await bench.apply(`
name: Nightly Sync
trigger: { type: manual }
error_handling:
  on_failure:
    - type: webhook
      url: ${server.url}/alerts
steps:
  - name: Fetch
    action: { type: http_request, url: "${server.url}/does-not-exist" }
`);
    const run = await bench.waitFor(await bench.start(slug));
    expect(run.status).toBe('failed');
    const alert = JSON.parse(server.to('/alerts').at(-1)!.body.toString()) as Record<string, unknown>;
    expect(alert).toMatchObject({
      workflow: 'Nightly Sync',
      workflow_slug: 'nightly-sync',
      run_id: run.id,
      error: { step: 'Fetch', name: 'NonRetryableError', message: expect.stringContaining('answered 404 Not Found') },
    });
    expect(stepsByName(run)['on_failure: webhook']!.output).toMatchObject({ status: 202, body: { accepted: true } });
  });

  it('posts the body it is given', async () => {
    const { last } = await runAction(
      bench,
      `
type: webhook
url: ${server.url}/alerts
headers: { X-Source: khaosflow }
body: { text: "order {{trigger.data.id}} shipped" }`,
      { id: 12 },
    );
    expect(last.output).toMatchObject({ status: 202 });
    const sent = server.to('/alerts').at(-1)!;
    expect(JSON.parse(sent.body.toString())).toEqual({ text: 'order 12 shipped' });
    expect(sent.headers['x-source']).toBe('khaosflow');
  });
});
