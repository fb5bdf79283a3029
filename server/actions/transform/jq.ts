// jq programs for the `transform` action, through jq-wasm 3.x (jq 1.8). The module is
// loaded once per process; 1.0.x of the package corrupted memory after a few hundred
// calls, which is why the version is pinned.
import { NonRetryableError } from '../../core/errors.js';

type Jq = { json<T = unknown>(input: unknown, query: string, flags?: string[]): T[] };
let loading: Promise<Jq> | null = null;

async function jq(): Promise<Jq> {
  loading ??= import('jq-wasm').then(async (mod) => {
    const m = mod as unknown as { loadJq?: () => Promise<Jq>; default?: { loadJq?: () => Promise<Jq> } };
    const load = m.loadJq ?? m.default?.loadJq;
    if (!load) throw new Error('jq-wasm has no loadJq export');
    return load();
  });
  return loading;
}

/** All outputs of `program` run on `input`: one output is returned as is, several as a list. */
export async function runJq(input: unknown, program: string): Promise<unknown> {
  const engine = await jq();
  try {
    const outputs = engine.json(input as object, program);
    return outputs.length === 1 ? outputs[0] : outputs;
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr?.trim();
    throw new NonRetryableError(`jq program failed: ${stderr || (err as Error).message}`);
  }
}
