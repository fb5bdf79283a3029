// Which client address KhaosFlow believes (the login throttle keys on it). Behind a
// reverse proxy the TCP peer is the proxy, and the client is in X-Forwarded-For; but
// its leftmost entries are whatever the client wrote, so only the entries appended by
// the operator's own proxies count: KHAOSFLOW_TRUST_PROXY=true trusts one proxy (the
// rightmost entry), a number N trusts N proxies in a row. Unset, the header is ignored.
import type Koa from 'koa';

/** How many proxies in front of KhaosFlow append to X-Forwarded-For; 0 to ignore the header. */
export function trustedProxies(env: NodeJS.ProcessEnv): number {
  const setting = (env.KHAOSFLOW_TRUST_PROXY ?? '').trim().toLowerCase();
  if (setting === 'true') return 1;
  const count = /^\d+$/.test(setting) ? Number(setting) : 0;
  return count;
}

export function applyTrustProxy(app: Koa, env: NodeJS.ProcessEnv): void {
  const proxies = trustedProxies(env);
  app.proxy = proxies > 0;
  // Koa takes the last maxIpsCount entries and uses the first of those as ctx.ip.
  app.maxIpsCount = proxies;
}
