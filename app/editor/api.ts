// The editor's calls to the HTTP API (the console session's cookie authorises them).
import type { Problem } from './diagnostics';

/** An API refusal as one sentence, whichever error shape the route answers with. */
async function refusal(response: Response): Promise<{ message: string; problems: Problem[] }> {
  const body = (await response.json().catch(() => ({}))) as {
    error?: string | { message?: string };
    message?: string;
    problems?: Problem[];
  };
  const message =
    body.message ?? (typeof body.error === 'object' ? body.error.message : body.error) ?? `The server answered ${response.status}.`;
  return { message: message ?? `The server answered ${response.status}.`, problems: body.problems ?? [] };
}

export class ApiRefusal extends Error {
  constructor(
    message: string,
    readonly problems: Problem[],
  ) {
    super(message);
  }
}

async function call<T>(url: string, init: RequestInit): Promise<T> {
  const response = await fetch(url, { ...init, credentials: 'same-origin' });
  if (!response.ok) {
    const { message, problems } = await refusal(response);
    throw new ApiRefusal(message, problems);
  }
  return (await response.json()) as T;
}

/** POST /api/workflows/validate: the problems of `text` (none when it is valid). */
export async function validateText(text: string): Promise<Problem[]> {
  const answer = await call<{ problems: Problem[] }>('/api/workflows/validate', {
    method: 'POST',
    headers: { 'Content-Type': 'application/yaml' },
    body: text,
  });
  return answer.problems;
}

/** POST /api/workflows/test: runs the draft once; resolves to the run's id. */
export async function startTestRun(yaml: string, data: unknown): Promise<string> {
  const answer = await call<{ run_id: string }>('/api/workflows/test', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ yaml, data }),
  });
  return answer.run_id;
}

/** POST /api/runs/<id>/retry {"from_step"}: a new run from that step, earlier outputs carried over. */
export async function retryFromStep(runId: string, step: string): Promise<string> {
  const answer = await call<{ run_id: string }>(`/api/runs/${encodeURIComponent(runId)}/retry`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ from_step: step }),
  });
  return answer.run_id;
}

export interface RunStepDetail {
  id: number;
  input: unknown;
  logs: unknown;
}

/** GET /api/runs/<id>: the steps' input and logs, which the live events leave out. */
export async function runStepDetails(runId: string): Promise<RunStepDetail[]> {
  const run = await call<{ steps: RunStepDetail[] }>(`/api/runs/${encodeURIComponent(runId)}`, { method: 'GET' });
  return run.steps;
}

/** GET /api/workflows/<slug>/versions/<n>: a version's YAML as saved. */
export async function versionText(slug: string, version: number): Promise<string> {
  const response = await fetch(`/api/workflows/${encodeURIComponent(slug)}/versions/${version}`, { credentials: 'same-origin' });
  if (!response.ok) throw new ApiRefusal((await refusal(response)).message, []);
  return response.text();
}

export interface Capture {
  test_url: string;
  method: string;
  listening_until: string;
}

/** POST /api/workflows/<slug>/listen {"yaml"}: opens a 2-minute capture for the draft's webhook. */
export function listenForTestEvent(slug: string, yaml: string): Promise<Capture> {
  return call<Capture>(`/api/workflows/${encodeURIComponent(slug)}/listen`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ yaml }),
  });
}

export interface TestEvent {
  id: string;
  received_at: string;
  trigger: { data: unknown; method: string; path: string };
}

/** GET /api/workflows/<slug>/samples: the newest captured test events, newest first. */
export async function testEvents(slug: string): Promise<TestEvent[]> {
  return (await call<{ samples: TestEvent[] }>(`/api/workflows/${encodeURIComponent(slug)}/samples`, { method: 'GET' })).samples;
}

/** POST /api/workflows/<slug>/table-sample {"yaml"}: the newest row the draft's database trigger matches (null: none). */
export async function tableSample(slug: string, yaml: string): Promise<{ data: unknown } | null> {
  const answer = await call<{ sample: { data: unknown } | null }>(`/api/workflows/${encodeURIComponent(slug)}/table-sample`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ yaml }),
  });
  return answer.sample;
}

/** POST /api/workflows/<slug>/mailbox-sample {"yaml"}: the newest message the draft's email trigger matches, left unseen (null: none). */
export async function mailboxSample(slug: string, yaml: string): Promise<{ data: unknown } | null> {
  const answer = await call<{ sample: { data: unknown } | null }>(`/api/workflows/${encodeURIComponent(slug)}/mailbox-sample`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ yaml }),
  });
  return answer.sample;
}
