// The `date(value?, format?, timezone?)` helper. A small token formatter rather than
// jsonata's XPath pictures, because workflow authors write `YYYY-MM-DD`, not `[Y0001]`.

const monthNames = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const dayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
// Longest tokens first so `MMMM` is not read as `MM` twice; `[...]` is literal text.
const tokenPattern = /\[([^\]]*)\]|YYYY|YY|MMMM|MMM|MM|M|DD|D|dddd|ddd|HH|H|hh|h|mm|ss|SSS|A|Z/g;

interface DateParts {
  year: number;
  month: number; // 1-12
  day: number;
  weekday: number; // 0 = Sunday
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  offsetMinutes: number;
}

/** Reads a date from an ISO string, epoch milliseconds or a Date; throws on anything else. */
export function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  if (typeof value === 'string') {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new Error(`date() cannot read ${JSON.stringify(value)} as a date; give an ISO 8601 string or milliseconds since 1970`);
}

/**
 * Formats `date` with tokens YYYY YY MMMM MMM MM M DD D dddd ddd HH H hh h mm ss SSS A Z
 * in `timeZone` (an IANA name, default UTC). `[text]` is copied literally.
 *
 * @example formatDate(new Date('2026-03-01T17:05:00Z'), 'YYYY-MM-DD HH:mm') // '2026-03-01 17:05'
 */
export function formatDate(date: Date, format = 'YYYY-MM-DD', timeZone = 'UTC'): string {
  if (Number.isNaN(date.getTime())) throw new Error('date() was given an invalid date');
  const parts = partsIn(date, timeZone);
  return format.replace(tokenPattern, (token, literal: string | undefined) => {
    if (literal !== undefined) return literal;
    switch (token) {
      case 'YYYY':
        return String(parts.year).padStart(4, '0');
      case 'YY':
        return String(parts.year % 100).padStart(2, '0');
      case 'MMMM':
        return monthNames[parts.month - 1]!;
      case 'MMM':
        return monthNames[parts.month - 1]!.slice(0, 3);
      case 'MM':
        return pad2(parts.month);
      case 'M':
        return String(parts.month);
      case 'DD':
        return pad2(parts.day);
      case 'D':
        return String(parts.day);
      case 'dddd':
        return dayNames[parts.weekday]!;
      case 'ddd':
        return dayNames[parts.weekday]!.slice(0, 3);
      case 'HH':
        return pad2(parts.hour);
      case 'H':
        return String(parts.hour);
      case 'hh':
        return pad2(parts.hour % 12 || 12);
      case 'h':
        return String(parts.hour % 12 || 12);
      case 'mm':
        return pad2(parts.minute);
      case 'ss':
        return pad2(parts.second);
      case 'SSS':
        return String(parts.millisecond).padStart(3, '0');
      case 'A':
        return parts.hour < 12 ? 'AM' : 'PM';
      default:
        return formatOffset(parts.offsetMinutes); // Z
    }
  });
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsIn(date: Date, timeZone: string): DateParts {
  if (timeZone === 'UTC') {
    return {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      weekday: date.getUTCDay(),
      hour: date.getUTCHours(),
      minute: date.getUTCMinutes(),
      second: date.getUTCSeconds(),
      millisecond: date.getUTCMilliseconds(),
      offsetMinutes: 0,
    };
  }
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new Error(`date() does not know the time zone ${JSON.stringify(timeZone)}; use an IANA name like "Europe/Paris"`);
    }
    formatters.set(timeZone, formatter);
  }
  const fields: Record<string, number> = {};
  for (const part of formatter.formatToParts(date)) fields[part.type] = Number(part.value);
  const wall = Date.UTC(fields.year!, fields.month! - 1, fields.day!, fields.hour!, fields.minute!, fields.second!);
  const offsetMinutes = Math.round((wall - (date.getTime() - date.getUTCMilliseconds())) / 60_000);
  return {
    year: fields.year!,
    month: fields.month!,
    day: fields.day!,
    weekday: new Date(wall).getUTCDay(),
    hour: fields.hour!,
    minute: fields.minute!,
    second: fields.second!,
    millisecond: date.getUTCMilliseconds(),
    offsetMinutes,
  };
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}
