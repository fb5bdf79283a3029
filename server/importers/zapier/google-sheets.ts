// Google Sheets through the Sheets API v4. Zapier addresses columns as `COL$A`,
// `COL$B`, ... and rows by number (`id`). A lookup is two steps: read the sheet, then a
// jq transform that finds the first row (after the header) whose column equals the
// value and answers `{id, "COL$A": ..., ...}` as Zapier did, so `{{<id>__COL$A}}` keeps
// working. Updates and new rows write the cells Zapier was given.
import { stepSlug } from '../../workflow/index.js';
import type { Conversion, NodeConverter, ZapContext } from './context.js';
import { appKey } from './naming.js';
import type { StepObject, ZapNode } from './types.js';

const text = (value: unknown) => (value === undefined || value === null ? '' : typeof value === 'string' ? value : String(value));
const secret = 'google_token';
const headers = { Authorization: `Bearer {{secrets.${secret}}}` };
const api = 'https://sheets.googleapis.com/v4/spreadsheets';

/** `COL$B` -> 1 (column index), or undefined. */
function columnIndex(key: string): number | undefined {
  const match = /^COL\$([A-Z]+)$/.exec(key);
  if (!match) return undefined;
  return [...match[1]!].reduce((total, letter) => total * 26 + letter.charCodeAt(0) - 64, 0) - 1;
}

/** The worksheet's name: Zapier stored its numeric id and showed the name in parammap. */
function sheetName(node: ZapNode, notes: string[]): string {
  const label = node.paramLabels.worksheet;
  if (typeof label === 'string' && label !== '') return label;
  const given = text(node.params.worksheet);
  if (given !== '' && !/^\d+$/.test(given)) return given;
  notes.push(`the worksheet is only known by its id (${given || 'none'}); imported as "Sheet1" - put the tab's name in the URL`);
  return 'Sheet1';
}

const a1 = (sheet: string) => (/^[A-Za-z0-9_]+$/.test(sheet) ? sheet : `'${sheet.replace(/'/g, "''")}'`);
const letter = (index: number): string => (index >= 26 ? letter(Math.floor(index / 26) - 1) : '') + String.fromCharCode(65 + (index % 26));

function lookupRow(node: ZapNode, ctx: ZapContext, name: string, notes: string[]): StepObject[] {
  const p = node.params;
  const column = columnIndex(text(p.lookup_key));
  const read = ctx.names.take(`${name} - Read Sheet`, `Sheet ${node.id} Read`);
  const sheet = sheetName(node, notes);
  ctx.outputs.set(node.id, { kind: 'step', slug: stepSlug(name), base: [] });
  if (column === undefined) notes.push(`the lookup column "${text(p.lookup_key)}" is not a COL$<letter> column; imported as column A`);
  const filter = [
    '.value as $v | .rows as $rows',
    `| [range(1; $rows | length) | select((($rows[.][${column ?? 0}] // "") | tostring) == ($v | tostring))]`,
    '| if length == 0 then null',
    '  else .[0] as $i | {id: ($i + 1)} + ($rows[$i] | to_entries | map({key: ("COL$" + ([65 + .key] | implode)), value: .value}) | from_entries)',
    '  end',
  ].join('\n');
  return [
    {
      name: read,
      action: {
        type: 'http_request',
        method: 'GET',
        url: `${api}/${encodeURIComponent(text(p.spreadsheet))}/values/${encodeURIComponent(a1(sheet))}`,
        headers,
      },
    },
    {
      name,
      action: {
        type: 'transform',
        operation: 'jq',
        input: { rows: `{{steps.${stepSlug(read)}.result.body.values}}`, value: ctx.template(node, text(p.lookup_value)) },
        filter,
      },
    },
  ];
}

function cellValues(node: ZapNode, ctx: ZapContext): Array<[number, unknown]> {
  return Object.entries(node.params)
    .map(([key, value]) => [columnIndex(key), value] as const)
    .filter((entry): entry is readonly [number, unknown] => entry[0] !== undefined)
    .map(([index, value]) => [index, ctx.template(node, text(value))] as [number, unknown])
    .sort((a, b) => a[0] - b[0]);
}

function updateRow(node: ZapNode, ctx: ZapContext, name: string, notes: string[]): StepObject[] {
  const sheet = a1(sheetName(node, notes));
  const row = ctx.template(node, text(node.params.row));
  ctx.outputs.set(node.id, { kind: 'step', slug: stepSlug(name), base: ['body'] });
  const data = cellValues(node, ctx).map(([index, value]) => ({ range: `${sheet}!${letter(index)}${row}`, values: [[value]] }));
  return [
    {
      name,
      action: {
        type: 'http_request',
        method: 'POST',
        url: `${api}/${encodeURIComponent(text(node.params.spreadsheet))}/values:batchUpdate`,
        headers,
        body: { valueInputOption: 'USER_ENTERED', data },
        body_type: 'json',
      },
    },
  ];
}

function addRow(node: ZapNode, ctx: ZapContext, name: string, notes: string[]): StepObject[] {
  const sheet = a1(sheetName(node, notes));
  const cells = cellValues(node, ctx);
  const width = cells.length ? cells.at(-1)![0] + 1 : 0;
  const row = Array.from({ length: width }, (_, index) => cells.find(([column]) => column === index)?.[1] ?? '');
  ctx.outputs.set(node.id, { kind: 'step', slug: stepSlug(name), base: ['body'] });
  return [
    {
      name,
      action: {
        type: 'http_request',
        method: 'POST',
        url: `${api}/${encodeURIComponent(text(node.params.spreadsheet))}/values/${encodeURIComponent(`${sheet}!A1`)}:append`,
        query: { valueInputOption: 'USER_ENTERED' },
        headers,
        body: { values: [row] },
        body_type: 'json',
      },
    },
  ];
}

const builders: Record<string, typeof lookupRow> = {
  lookup_row: lookupRow,
  update_row: updateRow,
  add_row: addRow,
  create_row: addRow,
  new_row: addRow,
};

export const googleSheetsConverter: NodeConverter = {
  matches: (node) =>
    ['GoogleSheetsAPI', 'GoogleSheetsV2API'].includes(appKey(node.app)) && node.typeOf !== 'read' && node.action in builders,
  convert(node: ZapNode, ctx: ZapContext): Conversion {
    const name = ctx.stepName(node);
    const notes: string[] = [];
    const steps = builders[node.action]!(node, ctx, name, notes);
    const spreadsheet = node.paramLabels.spreadsheet;
    if (typeof spreadsheet === 'string') notes.push(`spreadsheet ${text(node.params.spreadsheet)} was "${spreadsheet}" in Zapier`);
    notes.push(
      `calls the Google Sheets API v4 with the secret ${secret} (an OAuth access token, which expires: refresh it or use a service account)`,
    );
    if (node.action === 'lookup_row')
      notes.push(
        'the lookup reads the sheet and a jq transform picks the first matching row below the header, answering {id, COL$A, ...} as Zapier did',
      );
    return {
      steps,
      status: 'needs_review',
      became: { name: steps.map((s) => s.name).join(' + '), type: steps.map((s) => (s.action as { type: string }).type).join(' + ') },
      notes,
      secrets: [secret],
    };
  },
};
