// The connection pool outbound fetch() calls go through: Node's own undici Agent with
// the guarded lookup, so every new socket is checked against the outbound policy.
//
// Node bundles undici but does not export its Agent class. The global dispatcher Node
// installs for fetch() is such an Agent (shared through the documented
// Symbol.for('undici.globalDispatcher.1') that the undici package also uses), so its
// constructor is taken from there instead of adding undici as a dependency. When that
// is not possible (a custom global dispatcher was installed), names are resolved and
// checked before the request instead: weaker against DNS rebinding, so it is logged.
import dns from 'node:dns/promises';
import { guardedLookup } from './guarded-lookup.js';
import { parseIp } from './ip-address.js';
import { checkAddress, type OutboundPolicy } from './outbound-policy.js';

type AgentClass = new (options: Record<string, unknown>) => object;

const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1');
let agentClass: Promise<AgentClass | null> | null = null;

function findAgentClass(): Promise<AgentClass | null> {
  agentClass ??= (async () => {
    const holder = globalThis as Record<symbol, unknown>;
    // Node creates its global dispatcher lazily, on the first fetch().
    if (!holder[GLOBAL_DISPATCHER])
      await fetch('data:,')
        .then((r) => r.arrayBuffer())
        .catch(() => undefined);
    const current = holder[GLOBAL_DISPATCHER] as { constructor?: unknown } | undefined;
    const ctor = current?.constructor;
    return typeof ctor === 'function' && ctor.name === 'Agent' ? (ctor as AgentClass) : null;
  })();
  return agentClass;
}

const agents = new WeakMap<OutboundPolicy, object>();

/**
 * The dispatcher to pass to fetch() (`{ dispatcher }`), or null when requests must be
 * checked with {@link preflightCheck} instead.
 */
export async function outboundDispatcher(policy: OutboundPolicy): Promise<object | null> {
  const existing = agents.get(policy);
  if (existing) return existing;
  const Agent = await findAgentClass();
  if (!Agent) return null;
  const agent = new Agent({ connect: { lookup: guardedLookup(policy), timeout: 10_000 }, keepAliveTimeout: 4_000 });
  agents.set(policy, agent);
  return agent;
}

/** Resolves `url`'s host and checks every address (fallback when no dispatcher is available). */
export async function preflightCheck(url: URL, policy: OutboundPolicy): Promise<void> {
  if (parseIp(url.hostname)) return; // literals were checked with the URL
  const addresses = await dns.lookup(url.hostname, { all: true });
  for (const entry of addresses) {
    const ip = parseIp(entry.address);
    if (ip) checkAddress(ip, entry.address, url.hostname, policy);
  }
}
