// Apps KhaosFlow has no action for, called through their public REST APIs: each Zapier
// action becomes an http_request shaped after the app's own endpoint, authenticated with
// a secret the user creates (`khaosflow secrets set slack_token`). Zapier's params are
// mapped to the API's fields; those the API has no use for are listed in the report.
import type { ZapContext } from './context.js';
import { hasReference } from './references.js';
import type { ZapNode } from './types.js';

export interface ApiCall {
  /** The http_request params (type, method, url, headers, body, ...). */
  action: Record<string, unknown>;
  /** What the call is, for the report: "Slack chat.postMessage". */
  endpoint: string;
  secret?: string;
  notes: string[];
}

export type ApiShape = (node: ZapNode, ctx: ZapContext) => ApiCall;

const text = (value: unknown) => (value === undefined || value === null ? '' : typeof value === 'string' ? value : String(value));
const yes = (value: unknown) => ['yes', 'true', '1'].includes(text(value).toLowerCase());
const bearer = (secret: string) => ({ Authorization: `Bearer {{secrets.${secret}}}` });

/** Params of the node the API call does not use, named in the report. */
function unused(node: ZapNode, used: string[]): string[] {
  const rest = Object.keys(node.params).filter((key) => !used.includes(key));
  return rest.length ? [`Zapier params not sent: ${rest.map((key) => `${key}=${JSON.stringify(node.params[key])}`).join(', ')}`] : [];
}

/** "C024Y16JP (#design in Zapier)" when Zapier showed a label for an id. */
function labelled(node: ZapNode, key: string): string[] {
  const label = node.paramLabels[key];
  return typeof label === 'string' && label !== '' ? [`${key} ${text(node.params[key])} was "${label}" in Zapier`] : [];
}

/** Copies the params that are set (non-empty) into `body`, templated. */
function set(body: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined && value !== null && value !== '') body[key] = value;
}

const slackMessage: ApiShape = (node, ctx) => {
  const p = node.params;
  const body: Record<string, unknown> = {};
  set(body, 'channel', ctx.template(node, text(p.channel)));
  set(body, 'text', ctx.template(node, text(p.text)));
  set(body, 'username', p.username === undefined ? undefined : ctx.template(node, text(p.username)));
  const icon = text(p.icon);
  if (icon) body[/^:.*:$/.test(icon) ? 'icon_emoji' : 'icon_url'] = icon;
  set(body, 'thread_ts', p.thread_ts === undefined ? undefined : ctx.template(node, text(p.thread_ts)));
  if (p.reply_broadcast !== undefined && p.thread_ts !== undefined) body.reply_broadcast = yes(p.reply_broadcast);
  if (p.unfurl !== undefined) body.unfurl_links = yes(p.unfurl);
  if (p.link_names !== undefined) body.link_names = yes(p.link_names);
  return {
    endpoint: 'Slack chat.postMessage',
    secret: 'slack_token',
    action: {
      type: 'http_request',
      method: 'POST',
      url: 'https://slack.com/api/chat.postMessage',
      headers: bearer('slack_token'),
      body,
      body_type: 'json',
    },
    notes: [
      ...(node.action === 'direct_message' ? ['a direct message is chat.postMessage to the user id as channel'] : []),
      'username and icon need the chat:write.customize scope; Slack answers 200 with ok: false on errors (see result.body.ok)',
      ...labelled(node, 'channel'),
      ...unused(node, ['channel', 'text', 'username', 'icon', 'thread_ts', 'reply_broadcast', 'unfurl', 'link_names']),
    ],
  };
};

const todoistTask: ApiShape = (node, ctx) => {
  const p = node.params;
  const body: Record<string, unknown> = {};
  set(body, 'content', ctx.template(node, text(p.content)));
  set(
    body,
    'description',
    p.note === undefined && p.description === undefined ? undefined : ctx.template(node, text(p.description ?? p.note)),
  );
  set(body, 'project_id', p.project_id === undefined ? undefined : ctx.template(node, text(p.project_id)));
  if (p.priority !== undefined && p.priority !== '')
    body.priority = Number.isFinite(Number(p.priority)) ? Number(p.priority) : ctx.template(node, text(p.priority));
  // REST v2 takes label names; Zapier stored ids and showed the names in parammap.
  const labelNames = node.paramLabels.labels;
  if (Array.isArray(p.labels) && p.labels.length)
    body.labels = Array.isArray(labelNames) && labelNames.length === p.labels.length ? labelNames : p.labels.map(text);
  set(body, 'due_string', p.due_date === undefined ? undefined : ctx.template(node, text(p.due_date)));
  return {
    endpoint: 'Todoist REST v2 tasks',
    secret: 'todoist_token',
    action: {
      type: 'http_request',
      method: 'POST',
      url: 'https://api.todoist.com/rest/v2/tasks',
      headers: bearer('todoist_token'),
      body,
      body_type: 'json',
    },
    notes: [
      ...(p.note === undefined ? [] : ["Zapier's task note became the task description"]),
      ...(Array.isArray(labelNames) ? [`labels are sent by name (${labelNames.join(', ')}), as REST v2 wants`] : []),
      'priority is sent as Zapier had it: in the API 4 is the most urgent (p1 in the app)',
      ...labelled(node, 'project_id'),
      ...unused(node, ['content', 'note', 'description', 'project_id', 'priority', 'labels', 'due_date']),
    ],
  };
};

const zoomMeeting: ApiShape = (node, ctx) => {
  const p = node.params;
  const body: Record<string, unknown> = {};
  set(body, 'topic', ctx.template(node, text(p.topic)));
  // Zoom's types: 1 instant, 2 scheduled, 3 recurring without a time, 8 recurring.
  body.type = Number.isFinite(Number(p.type)) && text(p.type) !== '' ? Number(p.type) : 2;
  set(
    body,
    'start_time',
    p.when === undefined && p.start_time === undefined ? undefined : ctx.template(node, text(p.when ?? p.start_time)),
  );
  set(body, 'duration', p.duration === undefined ? undefined : ctx.template(node, text(p.duration)));
  set(body, 'agenda', p.agenda === undefined ? undefined : ctx.template(node, text(p.agenda)));
  set(body, 'timezone', p.timezone === undefined ? undefined : text(p.timezone));
  return {
    endpoint: 'Zoom create meeting (POST /v2/users/me/meetings)',
    secret: 'zoom_token',
    action: {
      type: 'http_request',
      method: 'POST',
      url: 'https://api.zoom.us/v2/users/me/meetings',
      headers: bearer('zoom_token'),
      body,
      body_type: 'json',
    },
    notes: [
      'start_time must be ISO 8601 (yyyy-MM-ddTHH:mm:ssZ) and duration a number of minutes',
      ...unused(node, ['topic', 'type', 'when', 'start_time', 'duration', 'agenda', 'timezone']),
    ],
  };
};

const quipDocument: ApiShape = (node, ctx) => {
  const p = node.params;
  const body: Record<string, unknown> = {};
  set(body, 'content', ctx.template(node, text(p.content)));
  set(body, 'format', text(p.format) || 'html');
  set(body, 'title', p.title === undefined ? undefined : ctx.template(node, text(p.title)));
  set(body, 'member_ids', p.folder === undefined ? undefined : ctx.template(node, text(p.folder)));
  return {
    endpoint: 'Quip new-document',
    secret: 'quip_token',
    action: {
      type: 'http_request',
      method: 'POST',
      url: 'https://platform.quip.com/1/threads/new-document',
      headers: bearer('quip_token'),
      body,
      body_type: 'form',
    },
    notes: [...labelled(node, 'folder'), ...unused(node, ['content', 'format', 'title', 'folder'])],
  };
};

const calendarEvent: ApiShape = (node, ctx) => {
  const p = node.params;
  const id = text(p.calendarid) || 'primary';
  const calendar = hasReference(id) ? `{{ url_encode(${ctx.expression(node, id)}) }}` : encodeURIComponent(id);
  const base = `https://www.googleapis.com/calendar/v3/calendars/${calendar}/events`;
  if (node.action.includes('quick')) {
    return {
      endpoint: 'Google Calendar events.quickAdd',
      secret: 'google_token',
      action: {
        type: 'http_request',
        method: 'POST',
        url: `${base}/quickAdd`,
        headers: bearer('google_token'),
        query: { text: ctx.template(node, text(p.text)) },
      },
      notes: [
        'google_token is an OAuth access token, which expires: refresh it or use a service account',
        ...unused(node, ['calendarid', 'text']),
      ],
    };
  }
  const body: Record<string, unknown> = {};
  set(body, 'summary', p.summary === undefined ? undefined : ctx.template(node, text(p.summary)));
  set(body, 'description', p.description === undefined ? undefined : ctx.template(node, text(p.description)));
  set(body, 'location', p.location === undefined ? undefined : ctx.template(node, text(p.location)));
  if (p.start_time !== undefined) body.start = { dateTime: ctx.template(node, text(p.start_time)) };
  if (p.end_time !== undefined) body.end = { dateTime: ctx.template(node, text(p.end_time)) };
  return {
    endpoint: 'Google Calendar events.insert',
    secret: 'google_token',
    action: { type: 'http_request', method: 'POST', url: base, headers: bearer('google_token'), body, body_type: 'json' },
    notes: [
      'google_token is an OAuth access token, which expires: refresh it or use a service account',
      ...labelled(node, 'calendarid'),
      ...unused(node, ['calendarid', 'summary', 'description', 'location', 'start_time', 'end_time']),
    ],
  };
};

const weatherForecast: ApiShape = (node, ctx) => {
  const p = node.params;
  return {
    endpoint: 'Open-Meteo forecast',
    action: {
      type: 'http_request',
      method: 'GET',
      url: 'https://api.open-meteo.com/v1/forecast',
      query: {
        latitude: ctx.template(node, text(p.latitude)),
        longitude: ctx.template(node, text(p.longitude)),
        daily: 'temperature_2m_max,temperature_2m_min,precipitation_probability_max',
        temperature_unit: text(p.units).toLowerCase().startsWith('f') ? 'fahrenheit' : 'celsius',
        timezone: 'auto',
      },
    },
    notes: [
      "Zapier's weather fields (temperatureHigh, precipProbability, ...) are named differently by Open-Meteo: result.body.daily.temperature_2m_max[0], ...",
      ...unused(node, ['latitude', 'longitude', 'units']),
    ],
  };
};

/** API shapes by `<app>:<action>` (app without its version). */
export const apiShapes: Record<string, ApiShape> = {
  'SlackAPI:channel_message': slackMessage,
  'SlackAPI:direct_message': slackMessage,
  'SlackAPI:private_channel_message': slackMessage,
  'TodoistAPI:new_task': todoistTask,
  'TodoistV2DevAPI:new_task': todoistTask,
  'TodoistV2DevAPI:create_task': todoistTask,
  'ZoomCLIAPI:create_meeting': zoomMeeting,
  'ZoomAPI:create_meeting': zoomMeeting,
  'QuipCLIAPI:document': quipDocument,
  'GoogleCalendarAPI:create_event': calendarEvent,
  'GoogleCalendarAPI:create_detailed_event': calendarEvent,
  'GoogleCalendarAPI:quick_add_event': calendarEvent,
  'WeatherAPI:forecast': weatherForecast,
  'WeatherAPI:today': weatherForecast,
  'WeatherCLIAPI:forecast': weatherForecast,
};
