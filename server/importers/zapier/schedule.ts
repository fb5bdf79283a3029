// Schedule by Zapier (ScheduleAPI) as a schedule trigger with cron and time zone:
//   every_hour  (trigger_on_weekends)        -> "0 * * * *"  or "0 * * * 1-5"
//   every_day   (hod, trigger_on_weekends)   -> "0 8 * * *"  or "0 8 * * 1-5"
//   every_week  (dow, hod)                   -> "0 15 * * 4"
//   every_month (dom, hod)                   -> "0 9 1 * *"
// Zapier runs schedules in the account's time zone, which the export does not record:
// the trigger uses `timezone` from the params, else the one given to the import, else
// UTC - and then needs review.
import { canonicalTimeZone } from '../../workflow/index.js';
import type { TriggerConversion, TriggerConverter, ZapContext } from './context.js';
import { appKey } from './naming.js';
import type { ZapNode } from './types.js';

const weekdays: Record<string, number> = {
  sunday: 0,
  sun: 0,
  monday: 1,
  mon: 1,
  tuesday: 2,
  tue: 2,
  wednesday: 3,
  wed: 3,
  thursday: 4,
  thu: 4,
  friday: 5,
  fri: 5,
  saturday: 6,
  sat: 6,
};

/** "3pm", "8am", "12:30pm", "noon", "midnight", "15", "15:30" -> hour and minute. */
export function hourOfDay(value: unknown): { hour: number; minute: number } | undefined {
  const text = String(value ?? '')
    .trim()
    .toLowerCase();
  if (text === 'noon') return { hour: 12, minute: 0 };
  if (text === 'midnight') return { hour: 0, minute: 0 };
  const match = /^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$/.exec(text);
  if (!match) return undefined;
  let hour = Number(match[1]);
  const minute = match[2] ? Number(match[2]) : 0;
  if (match[3]) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (match[3] === 'pm' ? 12 : 0);
  }
  return hour <= 23 && minute <= 59 ? { hour, minute } : undefined;
}

function dayOfWeek(value: unknown, notes: string[]): number | undefined {
  const text = String(value ?? '')
    .trim()
    .toLowerCase();
  if (text in weekdays) return weekdays[text];
  if (/^[1-7]$/.test(text)) {
    notes.push(`the day of week "${text}" was read as ISO numbering (1 = Monday ... 7 = Sunday); check it`);
    return Number(text) % 7;
  }
  return undefined;
}

function yes(value: unknown): boolean | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return ['yes', 'true', '1', 'on'].includes(String(value).toLowerCase());
}

function weekendDays(node: ZapNode, notes: string[]): string {
  const onWeekends = yes(node.params.trigger_on_weekends);
  if (onWeekends === undefined) notes.push('the export does not say whether to trigger on weekends; imported as every day');
  return onWeekends === false ? '1-5' : '*';
}

function timeOfDay(node: ZapNode, notes: string[]): { hour: number; minute: number } {
  const time = hourOfDay(node.params.hod);
  if (time) return time;
  notes.push(
    node.params.hod === undefined
      ? 'no time of day in the export; imported as midnight'
      : `the time of day "${String(node.params.hod)}" could not be read; imported as midnight`,
  );
  return { hour: 0, minute: 0 };
}

/** The cron of a Zapier schedule, or undefined for an event the importer does not know. */
function cronOf(node: ZapNode, notes: string[]): string | undefined {
  switch (node.action) {
    case 'every_hour':
      return `0 * * * ${weekendDays(node, notes)}`;
    case 'every_day': {
      const { hour, minute } = timeOfDay(node, notes);
      return `${minute} ${hour} * * ${weekendDays(node, notes)}`;
    }
    case 'every_week': {
      const { hour, minute } = timeOfDay(node, notes);
      const day = dayOfWeek(node.params.dow, notes);
      if (day === undefined) notes.push(`the day of week "${String(node.params.dow ?? '')}" could not be read; imported as Monday`);
      return `${minute} ${hour} * * ${day ?? 1}`;
    }
    case 'every_month': {
      const { hour, minute } = timeOfDay(node, notes);
      const dom = Number(node.params.dom);
      const valid = Number.isInteger(dom) && dom >= 1 && dom <= 31;
      if (!valid) notes.push(`the day of month "${String(node.params.dom ?? '')}" could not be read; imported as the 1st`);
      else if (dom > 28)
        notes.push(`day ${dom} does not exist in every month; cron skips those months, while Zapier may run on the last day instead`);
      return `${minute} ${hour} ${valid ? dom : 1} * *`;
    }
    default:
      return undefined;
  }
}

function timezoneOf(node: ZapNode, ctx: ZapContext, notes: string[]): { timezone: string; known: boolean } {
  const given = [node.params.timezone, node.params.tz, ctx.options.timezone].find(
    (value) => typeof value === 'string' && value.trim() !== '',
  ) as string | undefined;
  if (given) {
    const zone = canonicalTimeZone(given.trim());
    if ('timeZone' in zone) return { timezone: zone.timeZone, known: true };
    notes.push(`${zone.error}; imported as UTC`);
  } else {
    notes.push(
      "Zapier ran this schedule in the account's time zone, which the export does not record; imported as UTC - set timezone: or import again with --timezone",
    );
  }
  return { timezone: 'UTC', known: false };
}

export const scheduleTrigger: TriggerConverter = {
  matches: (node) => appKey(node.app) === 'ScheduleAPI',
  convert(node: ZapNode, ctx: ZapContext): TriggerConversion {
    const notes: string[] = [];
    const cron = cronOf(node, notes);
    if (cron === undefined) {
      return {
        trigger: { type: 'manual' },
        type: 'manual trigger',
        status: 'unsupported',
        notes: [`the schedule "${node.action}" is not known to the importer; the workflow starts by hand until you add a schedule trigger`],
      };
    }
    const { timezone, known } = timezoneOf(node, ctx, notes);
    ctx.outputs.set(node.id, { kind: 'trigger' });
    return {
      trigger: { type: 'schedule', cron, timezone },
      type: 'schedule trigger',
      status: known && notes.length === 0 ? 'converted' : 'needs_review',
      notes,
    };
  },
};
