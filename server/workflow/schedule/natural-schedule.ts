// The natural-language `schedule:` of a schedule trigger, turned into a cron string.
// The grammar (case and extra spaces do not matter):
//
//   schedule := "every minute" | "every N minutes"
//             | "every hour" [ "at :MM" ] | "every N hours"
//             | "hourly" | "daily" | "weekly" | "monthly" | "yearly"    (at midnight, UTC unless timezone:)
//             | "every" days [ "at" time ]
//             | "every month on the" ordinal [ "at" time ]
//   days     := "day" | "weekday" | "weekend" | weekday { ("," | "and") weekday }
//   weekday  := monday | mon | tuesday | tue | ... | sunday | sun       (plural "mondays" too)
//   time     := H[:MM] ("am" | "pm") | HH:MM | "noon" | "midnight"
//   ordinal  := 1st | 2nd | 3rd | 4th ... 31st (or a plain number)
//
// Examples: "every weekday at 9am" -> "0 9 * * 1-5", "every 15 minutes" -> "*/15 * * * *",
// "every monday at 17:30" -> "30 17 * * 1", "every day at noon" -> "0 12 * * *".
import { closestMatch } from '../did-you-mean.js';

export type NaturalScheduleResult = { cron: string } | { error: string };

const examples = '"every weekday at 9am", "every 15 minutes", "every monday at 17:30", "every day at noon"';

const weekdays: Record<string, number> = {
  sunday: 0,
  sun: 0,
  monday: 1,
  mon: 1,
  tuesday: 2,
  tue: 2,
  tues: 2,
  wednesday: 3,
  wed: 3,
  thursday: 4,
  thu: 4,
  thur: 4,
  thurs: 4,
  friday: 5,
  fri: 5,
  saturday: 6,
  sat: 6,
};

const shorthands: Record<string, string> = {
  hourly: '0 * * * *',
  daily: '0 0 * * *',
  weekly: '0 0 * * 0',
  monthly: '0 0 1 * *',
  yearly: '0 0 1 1 *',
  'every minute': '* * * * *',
  'every hour': '0 * * * *',
  'every day': '0 0 * * *',
  'every week': '0 0 * * 0',
  'every month': '0 0 1 * *',
  'every year': '0 0 1 1 *',
};

/**
 * Converts a natural-language schedule to a five-field cron string, or explains what
 * it could not read.
 *
 * @example naturalScheduleToCron('every weekday at 9am') // { cron: '0 9 * * 1-5' }
 */
export function naturalScheduleToCron(text: string): NaturalScheduleResult {
  const phrase = text.trim().toLowerCase().replace(/\s+/g, ' ');
  if (/^[\d*/,\-?]+( [\d*/,\-a-z?#LW]+){4,6}$/i.test(text.trim()) && !phrase.startsWith('every')) {
    return { error: `"${text}" looks like a cron expression; write it as cron: "${text.trim()}" instead of schedule:` };
  }
  const shorthand = shorthands[phrase];
  if (shorthand) return { cron: shorthand };

  let match = /^every (\d+) (minute|hour)s?$/.exec(phrase);
  if (match) return everyN(Number(match[1]), match[2] as 'minute' | 'hour');

  match = /^every hour at :?(\d{1,2})$/.exec(phrase);
  if (match) {
    const minute = Number(match[1]);
    return minute < 60 ? { cron: `${minute} * * * *` } : { error: `minute ${minute} is not between 0 and 59` };
  }

  match = /^every month on (?:the )?(\d{1,2})(?:st|nd|rd|th)?(?: at (.+))?$/.exec(phrase);
  if (match) {
    const day = Number(match[1]);
    if (day < 1 || day > 31) return { error: `day ${day} of the month is not between 1 and 31` };
    return withTime(match[2], (minute, hour) => `${minute} ${hour} ${day} * *`);
  }

  match = /^every (.+?)(?: at (.+))?$/.exec(phrase);
  if (match) {
    const days = dayField(match[1]!);
    if ('error' in days) return days;
    return withTime(match[2], (minute, hour) => `${minute} ${hour} * * ${days.field}`);
  }
  return { error: `cannot read the schedule "${text}"; write it like ${examples}, or give a cron: expression` };
}

function everyN(n: number, unit: 'minute' | 'hour'): NaturalScheduleResult {
  const limit = unit === 'minute' ? 60 : 24;
  if (n < 1 || n >= limit) return { error: `every ${n} ${unit}s cannot be written as a schedule; use 1 to ${limit - 1}` };
  if (limit % n !== 0) {
    // cron restarts the step every hour/day, so uneven steps would not be evenly spaced.
    return {
      error: `every ${n} ${unit}s does not divide ${unit === 'minute' ? 'an hour' : 'a day'} evenly; pick one of ${divisors(limit).join(', ')} or give a cron: expression`,
    };
  }
  return { cron: n === 1 ? shorthands[`every ${unit}`]! : unit === 'minute' ? `*/${n} * * * *` : `0 */${n} * * *` };
}

function divisors(n: number): number[] {
  return Array.from({ length: n - 1 }, (_, i) => i + 1).filter((d) => n % d === 0);
}

function dayField(text: string): { field: string } | { error: string } {
  if (text === 'day') return { field: '*' };
  if (text === 'weekday' || text === 'weekdays') return { field: '1-5' };
  if (text === 'weekend' || text === 'weekends' || text === 'weekend day') return { field: '0,6' };
  const names = text.split(/\s*(?:,|\band\b)\s*/).filter(Boolean);
  const numbers: number[] = [];
  for (const raw of names) {
    const name = raw.replace(/s$/, '');
    const day = weekdays[name] ?? weekdays[raw];
    if (day === undefined) {
      const guess = closestMatch(
        raw,
        Object.keys(weekdays).filter((key) => key.length > 3),
      );
      return {
        error: guess
          ? `"${raw}" is not a day; did you mean "${guess}"?`
          : `cannot read "every ${text}"; write it like ${examples}, or give a cron: expression`,
      };
    }
    if (!numbers.includes(day)) numbers.push(day);
  }
  return { field: numbers.sort((a, b) => a - b).join(',') };
}

function withTime(text: string | undefined, build: (minute: number, hour: number) => string): NaturalScheduleResult {
  if (text === undefined) return { cron: build(0, 0) };
  const time = parseTime(text);
  return 'error' in time ? time : { cron: build(time.minute, time.hour) };
}

function parseTime(text: string): { hour: number; minute: number } | { error: string } {
  if (text === 'noon' || text === 'midday') return { hour: 12, minute: 0 };
  if (text === 'midnight') return { hour: 0, minute: 0 };
  const match = /^(\d{1,2})(?::(\d{2}))? ?(am|pm|a\.m\.|p\.m\.)?$/.exec(text);
  if (!match) return { error: `cannot read the time "${text}"; write 9am, 5:30pm, 17:30, noon or midnight` };
  let hour = Number(match[1]);
  const minute = match[2] === undefined ? 0 : Number(match[2]);
  const meridiem = match[3]?.replace(/\./g, '');
  if (meridiem) {
    if (hour < 1 || hour > 12) return { error: `"${text}": with am/pm the hour is 1 to 12` };
    hour = (hour % 12) + (meridiem === 'pm' ? 12 : 0);
  } else if (match[2] === undefined) {
    return { error: `"${text}" is ambiguous; write ${hour}am, ${hour}pm or ${String(hour).padStart(2, '0')}:00` };
  }
  if (hour > 23 || minute > 59) return { error: `"${text}" is not a time of day` };
  return { hour, minute };
}
