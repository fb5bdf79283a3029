// Run and step statuses and the small predicates the engine and API share.
// Run: queued -> running -> succeeded | failed | cancelled, and running <-> waiting
// (delays, long retry backoffs, waiting for a child run). See README.md.
import type { RunStatus, StepStatus } from '../../db/schema.js';

export const RUN_STATUSES: readonly RunStatus[] = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled'];
export const FINAL_RUN_STATUSES: readonly RunStatus[] = ['succeeded', 'failed', 'cancelled'];

export const isFinalRunStatus = (s: string): boolean => (FINAL_RUN_STATUSES as readonly string[]).includes(s);

export type { RunStatus, StepStatus };
