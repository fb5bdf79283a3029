// The natural-language schedule grammar, both what it reads and what it refuses.
import { describe, expect, it } from 'vitest';
import { naturalScheduleToCron } from '../../server/workflow/schedule/natural-schedule.js';

describe('natural-language schedules', () => {
  it.each([
    ['every weekday at 9am', '0 9 * * 1-5'],
    ['Every Weekday at 9 AM', '0 9 * * 1-5'],
    ['every 15 minutes', '*/15 * * * *'],
    ['every minute', '* * * * *'],
    ['every 1 minute', '* * * * *'],
    ['every monday at 17:30', '30 17 * * 1'],
    ['every day at noon', '0 12 * * *'],
    ['every day at midnight', '0 0 * * *'],
    ['every day at 12am', '0 0 * * *'],
    ['every day at 12pm', '0 12 * * *'],
    ['every day at 5:45pm', '45 17 * * *'],
    ['every hour', '0 * * * *'],
    ['every hour at :15', '15 * * * *'],
    ['every 6 hours', '0 */6 * * *'],
    ['every weekend at 10am', '0 10 * * 0,6'],
    ['every mon, wed and fri at 08:00', '0 8 * * 1,3,5'],
    ['every sundays at 7pm', '0 19 * * 0'],
    ['every month on the 1st at 6am', '0 6 1 * *'],
    ['every month on the 15th', '0 0 15 * *'],
    ['daily', '0 0 * * *'],
    ['hourly', '0 * * * *'],
    ['weekly', '0 0 * * 0'],
    ['monthly', '0 0 1 * *'],
  ])('reads "%s" as %s', (text, cron) => {
    expect(naturalScheduleToCron(text)).toEqual({ cron });
  });

  it.each([
    [
      'every fortnight',
      'cannot read "every fortnight"; write it like "every weekday at 9am", "every 15 minutes", "every monday at 17:30", "every day at noon", or give a cron: expression',
    ],
    [
      'every 7 minutes',
      'every 7 minutes does not divide an hour evenly; pick one of 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or give a cron: expression',
    ],
    ['every 90 minutes', 'every 90 minutes cannot be written as a schedule; use 1 to 59'],
    ['every tuesdy at 9am', '"tuesdy" is not a day; did you mean "tuesday"?'],
    ['every day at 9', '"9" is ambiguous; write 9am, 9pm or 09:00'],
    ['every day at 13pm', '"13pm": with am/pm the hour is 1 to 12'],
    ['every day at 25:00', '"25:00" is not a time of day'],
    ['every day at teatime', 'cannot read the time "teatime"; write 9am, 5:30pm, 17:30, noon or midnight'],
    ['every month on the 32nd', 'day 32 of the month is not between 1 and 31'],
    ['0 9 * * 1-5', '"0 9 * * 1-5" looks like a cron expression; write it as cron: "0 9 * * 1-5" instead of schedule:'],
    [
      'at some point',
      'cannot read the schedule "at some point"; write it like "every weekday at 9am", "every 15 minutes", "every monday at 17:30", "every day at noon", or give a cron: expression',
    ],
  ])('refuses "%s" with a suggestion', (text, error) => {
    expect(naturalScheduleToCron(text)).toEqual({ error });
  });
});
