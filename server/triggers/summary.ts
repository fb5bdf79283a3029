// How a trigger is described to the console and the API: what it listens to, in the
// product's words, plus its live state where KhaosFlow keeps one (the next schedule
// tick, whether a database trigger is installed).
import cronstrue from 'cronstrue';
import type { DbTriggerInstall } from '../../db/queries/triggers-database.js';
import type {
  DatabaseTrigger,
  FileWatcherTrigger,
  ManualTrigger,
  ScheduleTrigger,
  TriggerDefinition,
  WebhookTrigger,
} from '../workflow/types.js';
import { nextTick } from './schedule/tick-plan.js';

export type TriggerSummary = Record<string, unknown> & { type: string };

function describeCron(cron: string): string | null {
  try {
    return cronstrue.toString(cron);
  } catch {
    return null;
  }
}

export function triggerSummary(
  trigger: TriggerDefinition | null,
  live: { install?: DbTriggerInstall | null; now?: Date } = {},
): TriggerSummary {
  if (!trigger) return { type: 'none', note: 'No trigger: start runs with POST /api/workflows/<slug>/runs or khaosflow.start_run().' };
  switch (trigger.type) {
    case 'webhook': {
      const t = trigger as WebhookTrigger;
      return {
        type: 'webhook',
        method: t.method,
        path: t.path,
        hook_url: `/hooks${t.path}`,
        authentication: t.authentication.type,
        ...(t.url ? { url: t.url } : {}),
      };
    }
    case 'schedule': {
      const t = trigger as ScheduleTrigger;
      const next = nextTick(t.cron, t.timezone, live.now ?? new Date());
      return {
        type: 'schedule',
        cron: t.cron,
        timezone: t.timezone,
        catch_up: t.catch_up,
        description: describeCron(t.cron),
        next_run_at: next?.toISOString() ?? null,
      };
    }
    case 'manual': {
      const t = trigger as ManualTrigger;
      return { type: 'manual', button_label: t.button_label ?? 'Run', confirmation: t.confirmation, parameters: t.parameters };
    }
    case 'database': {
      const t = trigger as DatabaseTrigger;
      const install = live.install;
      return {
        type: 'database',
        connection: t.connection ?? null,
        table: `${t.schema ?? 'public'}.${t.table}`,
        events: t.events,
        filter: t.filter ?? null,
        install: install
          ? { status: install.status, error: install.error, condition: install.condition, installed_at: install.installed_at }
          : { status: 'pending' },
      };
    }
    case 'file_watcher': {
      const t = trigger as FileWatcherTrigger;
      return { type: 'file_watcher', path: t.path, pattern: t.pattern ?? null, events: t.events, recursive: t.recursive };
    }
    default:
      return { ...(trigger as unknown as Record<string, unknown>), type: trigger.type };
  }
}
