// Shared by the trigger tests: applying YAML, counting runs, temporary folders.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import type { Db } from '../../db/client.js';
import { applyWorkflow } from '../../db/queries/workflow-store.js';
import { parseWorkflow } from '../../server/workflow/index.js';

export async function applyYaml(
  db: Db,
  yaml: string,
  opts: { file?: string; enabled?: boolean } = {},
): Promise<{ slug: string; version: number }> {
  const parsed = parseWorkflow(yaml, { file: opts.file ?? 'test.yaml' });
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => `${p.line}:${p.col}: ${p.message}`).join('\n'));
  const res = await applyWorkflow(db, {
    definition: parsed.workflow,
    source: yaml,
    createdBy: 'test',
    ...(opts.enabled === undefined ? {} : { enabled: opts.enabled }),
  });
  return { slug: res.slug, version: res.version };
}

export interface RunRow {
  id: string;
  status: string;
  trigger_kind: string;
  trigger_data: Record<string, unknown>;
  dedupe_key: string | null;
}

export async function runsOf(db: Db, slug: string): Promise<RunRow[]> {
  return db
    .selectFrom('khaosflow.runs as r')
    .innerJoin('khaosflow.workflows as w', 'w.id', 'r.workflow_id')
    .select(['r.id', 'r.status', 'r.trigger_kind', 'r.trigger_data', 'r.dedupe_key'])
    .where('w.slug', '=', slug)
    .orderBy('r.created_at')
    .orderBy('r.id')
    .execute() as Promise<RunRow[]>;
}

/** Polls until `slug` has `n` runs (never more is checked by the caller after). */
export async function waitForRunCount(db: Db, slug: string, n: number, timeout = 30_000): Promise<RunRow[]> {
  await expect.poll(async () => (await runsOf(db, slug)).length, { timeout, interval: 50 }).toBeGreaterThanOrEqual(n);
  return runsOf(db, slug);
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A manual trigger with every parameter type, a button label and a confirmation (the API and console tests share it). */
export const BACKUP_WORKFLOW = `name: Backup
description: Copies the database somewhere safe
trigger:
  type: manual
  button_label: Run Backup
  confirmation: "Back up now?"
  parameters:
    - { name: environment, type: select, options: [dev, staging, prod], required: true }
    - { name: copies, type: number, default: 1 }
    - { name: dry_run, type: boolean }
`;
