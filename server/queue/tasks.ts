// The one Graphile task list of KhaosFlow. Task names are part of the database
// contract (rows in graphile_worker.jobs), so they never change once released.
import type { TaskList } from 'graphile-worker';
import { createRunTask } from '../engine/run-task.js';
import type { Services } from '../services.js';

export function createTaskList(services: Services): TaskList {
  return { run: createRunTask(services) };
}
