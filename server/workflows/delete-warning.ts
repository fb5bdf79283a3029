// What deleting a workflow stops, in the words the console's confirmation uses: the
// trigger it has now, named (its hook URL, schedule, table, folder or mailbox).
import type { DatabaseTrigger, FileWatcherTrigger, ScheduleTrigger, TriggerDefinition, WebhookTrigger } from '../workflow/types.js';

function stops(trigger: TriggerDefinition | null | undefined): string {
  switch (trigger?.type) {
    case 'webhook':
      return `its webhook ${(trigger as WebhookTrigger).method} /hooks${(trigger as WebhookTrigger).path} answers 404 from then on`;
    case 'schedule': {
      const t = trigger as ScheduleTrigger;
      return `its schedule (${t.cron ?? t.schedule}) ticks no more`;
    }
    case 'database':
      return `its database trigger on ${(trigger as DatabaseTrigger).table} is uninstalled`;
    case 'file_watcher':
      return `its watcher on ${(trigger as FileWatcherTrigger).path} is closed`;
    case 'email':
      return 'its mailbox is no longer read';
    case 'manual':
      return 'its Run button goes away';
    default:
      return 'nothing starts it any more';
  }
}

/**
 * The confirmation shown before deleting `slug`.
 * @example deleteWarning('greeter', { type: 'manual', ... }) // 'Delete greeter? Its Run button goes away. ...'
 */
export function deleteWarning(slug: string, trigger: TriggerDefinition | null | undefined): string {
  const what = stops(trigger);
  return `Delete ${slug}? ${what[0]!.toUpperCase()}${what.slice(1)}, at once. Its runs stay readable in the history.`;
}
