// Slugs (workflow kebab-case, step snake_case) and durations as the language reads them.
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../server/core/duration.js';
import { closestMatch } from '../../server/workflow/did-you-mean.js';
import { stepSlug, workflowSlug } from '../../server/workflow/slugs.js';

describe('slugs', () => {
  it.each([
    ['Customer Onboarding', 'customer-onboarding'],
    ['E-commerce Order Processing', 'e-commerce-order-processing'],
    ['  Daily   Database Backup!! ', 'daily-database-backup'],
    ['Café Crème', 'cafe-creme'],
    ['Заказ', ''],
  ])('workflow "%s" -> "%s"', (name, slug) => {
    expect(workflowSlug(name)).toBe(slug);
  });

  it.each([
    ['Check Inventory', 'check_inventory'],
    ['Send Welcome Email', 'send_welcome_email'],
    ['Upload to S3', 'upload_to_s3'],
    ['Notify (Out-of-Stock)', 'notify_out_of_stock'],
    ['Überprüfen', 'uberprufen'],
    ['Заказ клиента', 'заказ_клиента'],
    ['1st Reminder', 'step_1st_reminder'],
    ['In', 'step_in'],
    ['???', ''],
  ])('step "%s" -> "%s"', (name, slug) => {
    expect(stepSlug(name)).toBe(slug);
  });
});

describe('durations', () => {
  it.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['300s', 300_000],
    ['250ms', 250],
    ['1h30m', 5_400_000],
    ['1.5s', 1500],
    ['2d', 172_800_000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['30', '30 seconds', 's', '', '5m-1s'])('"%s" is not a duration', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('did you mean', () => {
  it('suggests typos, swaps and abbreviations but not unrelated words', () => {
    expect(closestMatch('methd', ['method', 'url'])).toBe('method');
    expect(closestMatch('levle', ['level', 'message'])).toBe('level');
    expect(closestMatch('expo', ['fixed', 'exponential'])).toBe('exponential');
    expect(closestMatch('colour', ['name', 'slug', 'steps'])).toBeUndefined();
  });
});
