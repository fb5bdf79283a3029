// Which client address KhaosFlow believes (issue 18, finding 6). The leftmost
// X-Forwarded-For entries are written by the client; only the entries appended by the
// operator's proxies may be believed, and without KHAOSFLOW_TRUST_PROXY none at all.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { describe, expect, it } from 'vitest';
import { applyTrustProxy } from '../../server/http/trust-proxy.js';

async function clientAddress(env: NodeJS.ProcessEnv, forwardedFor: string): Promise<string> {
  const app = new Koa();
  applyTrustProxy(app, env);
  app.use((ctx) => {
    ctx.body = ctx.ip;
  });
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, {
      headers: { 'x-forwarded-for': forwardedFor },
    });
    return await res.text();
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('client address behind a proxy', () => {
  // The client wrote "6.6.6.6"; the operator's proxy appended the address it saw.
  const header = '6.6.6.6, 198.51.100.7';

  it('believes only the entry the one trusted proxy appended with KHAOSFLOW_TRUST_PROXY=true', async () => {
    expect(await clientAddress({ KHAOSFLOW_TRUST_PROXY: 'true' }, header)).toBe('198.51.100.7');
  });

  it('walks back N entries for N trusted proxies', async () => {
    expect(await clientAddress({ KHAOSFLOW_TRUST_PROXY: '2' }, '6.6.6.6, 198.51.100.7, 10.0.0.2')).toBe('198.51.100.7');
  });

  it('ignores the header unless a proxy is configured', async () => {
    expect(await clientAddress({}, header)).toMatch(/127\.0\.0\.1$/);
  });
});
