// Checks a schedule trigger beyond its shape: the cron (read by croner, the library the
// scheduler uses, so what validates also runs), the time zone (known to this Node's ICU),
// and the natural-language `schedule:`.
import { Cron } from 'croner';
import { didYouMean } from '../did-you-mean.js';
import { naturalScheduleToCron } from './natural-schedule.js';

export interface ScheduleInput {
  cron?: string | undefined;
  schedule?: string | undefined;
  timezone?: string | undefined;
}

export interface ScheduleProblem {
  /** The trigger key the problem is about. */
  key: 'cron' | 'schedule' | 'timezone' | 'type';
  message: string;
}

export type ScheduleCheck = { ok: true; cron: string; timezone: string } | { ok: false; problems: ScheduleProblem[] };

/** Validates a schedule trigger and returns its cron and canonical time zone. */
export function checkSchedule(trigger: ScheduleInput): ScheduleCheck {
  const problems: ScheduleProblem[] = [];
  const timezone = canonicalTimeZone(trigger.timezone ?? 'UTC');
  if ('error' in timezone) problems.push({ key: 'timezone', message: timezone.error });

  let fromText: string | undefined;
  if (trigger.schedule !== undefined) {
    const natural = naturalScheduleToCron(trigger.schedule);
    if ('error' in natural) problems.push({ key: 'schedule', message: natural.error });
    else fromText = natural.cron;
  }
  if (trigger.cron === undefined && trigger.schedule === undefined) {
    problems.push({
      key: 'type',
      message: 'a schedule trigger needs cron: (e.g. "0 9 * * 1-5") or schedule: (e.g. "every weekday at 9am")',
    });
  }
  if (trigger.cron !== undefined) {
    const error = cronError(trigger.cron, 'timeZone' in timezone ? timezone.timeZone : 'UTC');
    if (error) problems.push({ key: 'cron', message: error });
    else if (fromText !== undefined && !sameSchedule(fromText, trigger.cron)) {
      // The seed shows both keys in one snippet as two spellings of one schedule.
      problems.push({
        key: 'schedule',
        message: `schedule "${trigger.schedule}" means cron "${fromText}", but cron: is "${trigger.cron}"; keep one of the two`,
      });
    }
  }
  const cron = trigger.cron ?? fromText;
  if (problems.length > 0 || cron === undefined || 'error' in timezone) return { ok: false, problems };
  return { ok: true, cron, timezone: timezone.timeZone };
}

function sameSchedule(a: string, b: string): boolean {
  return a.trim().split(/\s+/).join(' ') === b.trim().split(/\s+/).join(' ');
}

function cronError(cron: string, timeZone: string): string | undefined {
  let job: Cron | undefined;
  try {
    job = new Cron(cron, { timezone: timeZone, paused: true });
    if (!job.nextRun()) return `cron "${cron}" never fires (no date matches it)`;
    return undefined;
  } catch (error) {
    const reason = (error as Error).message.replace(/^Cron\w*:\s*/, '').replace(/\.$/, '');
    return `cron "${cron}" is not valid: ${reason}; the fields are minute hour day-of-month month day-of-week, e.g. "0 9 * * 1-5"`;
  } finally {
    job?.stop();
  }
}

let knownZones: string[] | undefined;

/** The canonical IANA name for `name` (accepting aliases such as US/Eastern), or why not. */
export function canonicalTimeZone(name: string): { timeZone: string } | { error: string } {
  try {
    return { timeZone: new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone };
  } catch {
    knownZones ??= [...Intl.supportedValuesOf('timeZone'), 'UTC'];
    const hint = didYouMean(name, knownZones);
    return { error: `unknown time zone "${name}"${hint || '; use an IANA name such as America/Chicago, Europe/Paris or UTC'}` };
  }
}
