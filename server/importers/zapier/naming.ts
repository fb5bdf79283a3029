// Names in the imported workflows: the app names people know (Slack, not SlackAPI),
// step names from the zap (the step title, else "<App> <action>"), made unique so
// that step slugs - one namespace for the whole workflow - never collide.
import { stepSlug, workflowSlug } from '../../workflow/index.js';

const knownApps: Record<string, string> = {
  ScheduleAPI: 'Schedule',
  WebHookAPI: 'Webhooks',
  FilterAPI: 'Filter',
  BranchingAPI: 'Paths',
  DelayAPI: 'Delay',
  CodeAPI: 'Code',
  EmailAPI: 'Email',
  SMTPAPI: 'SMTP',
  FormatterAPI: 'Formatter',
  FormatterV2API: 'Formatter',
  LoopingAPI: 'Looping',
  LoopingCLIAPI: 'Looping',
  SlackAPI: 'Slack',
  TodoistAPI: 'Todoist',
  TodoistV2DevAPI: 'Todoist',
  GoogleCalendarAPI: 'Google Calendar',
  GoogleSheetsAPI: 'Google Sheets',
  GoogleSheetsV2API: 'Google Sheets',
  ZoomCLIAPI: 'Zoom',
  ZoomAPI: 'Zoom',
  QuipCLIAPI: 'Quip',
  WeatherAPI: 'Weather',
  WeatherCLIAPI: 'Weather',
  GmailV2API: 'Gmail',
};

/** The app without its version: `ZoomCLIAPI@1.0.12` -> `ZoomCLIAPI`. */
export function appKey(app: string): string {
  return app.split('@')[0]!;
}

/** The app's name for people: `SlackAPI` -> `Slack`, `AcmeCRMV2API` -> `Acme CRM`. */
export function appName(app: string): string {
  const key = appKey(app);
  const known = knownApps[key];
  if (known) return known;
  const bare = key.replace(/(CLI)?(V\d+)?(Dev)?API$/, '') || key;
  return bare.replace(/([a-z0-9])([A-Z])/g, '$1 $2').trim();
}

/** An action key for people: `channel_message` -> `Channel Message`. */
export function actionLabel(action: string): string {
  return action
    .split(/[_\s]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join(' ');
}

/** Hands out step names whose slugs are unique in one workflow. */
export class StepNames {
  private readonly slugs = new Set<string>();

  /** `wanted`, or `wanted 2`, `wanted 3`, ... when its slug is taken; `fallback` when it has no letters. */
  take(wanted: string, fallback: string): string {
    const base = stepSlug(wanted) === '' ? fallback : wanted.trim();
    for (let n = 1; ; n++) {
      const name = n === 1 ? base : `${base} ${n}`;
      const slug = stepSlug(name);
      if (!this.slugs.has(slug)) {
        this.slugs.add(slug);
        return name;
      }
    }
  }
}

/** Hands out workflow slugs unique in one export. */
export class WorkflowSlugs {
  private readonly taken = new Set<string>();

  take(title: string, zapId: string): string {
    const base = workflowSlug(title) || `zap-${workflowSlug(zapId) || 'imported'}`;
    for (let n = 1; ; n++) {
      const slug = n === 1 ? base : `${base}-${n}`;
      if (!this.taken.has(slug)) {
        this.taken.add(slug);
        return slug;
      }
    }
  }
}
