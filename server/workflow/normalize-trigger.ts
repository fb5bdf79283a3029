// The trigger in its normalized form: defaults that depend on the workflow (webhook path),
// schedules resolved to cron + canonical time zone, event lists always lists.
import type { PathSegment } from './paths.js';
import type { RawTrigger } from './raw-workflow.js';
import type { Reporter } from './reporter.js';
import { checkSchedule } from './schedule/check-schedule.js';
import type { TriggerDefinition } from './types.js';

/** Normalizes `raw` (found at `path`); returns undefined after reporting when it is invalid. */
export function normalizeTrigger(
  raw: RawTrigger,
  path: PathSegment[],
  workflowSlug: string,
  report: Reporter,
): TriggerDefinition | undefined {
  switch (raw.type) {
    case 'webhook':
      return { ...raw, path: (raw.path as string | undefined) ?? `/${workflowSlug}` } as TriggerDefinition;
    case 'schedule': {
      const checked = checkSchedule(raw as { cron?: string; schedule?: string; timezone?: string });
      if (!checked.ok) {
        for (const problem of checked.problems) report.error([...path, problem.key], problem.message);
        return undefined;
      }
      const { catch_up: catchUp, ...rest } = raw;
      return {
        ...rest,
        cron: checked.cron,
        timezone: checked.timezone,
        catch_up: catchUp === true || catchUp === undefined ? 'latest' : catchUp === false ? 'none' : catchUp,
      } as TriggerDefinition;
    }
    case 'database':
    case 'file_watcher': {
      const { event, ...rest } = raw;
      return { ...rest, events: Array.isArray(event) ? [...new Set(event)] : [event] } as TriggerDefinition;
    }
    default:
      return raw as TriggerDefinition;
  }
}
