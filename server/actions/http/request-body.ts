// The request body in the form the step asks for. `body_type` decides; when it is not
// given, a form or multipart Content-Type header decides, else a string is sent as
// written and anything else as JSON (the spec's `body: {order_id: ...}` is JSON).
//
//   json       any value, JSON-encoded
//   form       an object, application/x-www-form-urlencoded (lists repeat the name)
//   multipart  an object; a value {file: path} or {content, filename} is a file part
//   text       a string sent as is
import fs from 'node:fs';
import path from 'node:path';
import { NonRetryableError } from '../../core/errors.js';
import { readableFile } from './local-files.js';

export type BodyType = 'json' | 'form' | 'multipart' | 'text';

export interface RequestBody {
  body: string | URLSearchParams | FormData | null;
  /** Headers with Content-Type set (or removed for multipart, whose boundary fetch writes). */
  headers: Record<string, string>;
}

function headerName(headers: Record<string, string>, name: string): string | undefined {
  return Object.keys(headers).find((k) => k.toLowerCase() === name);
}

function inferType(body: unknown, contentType: string | undefined): BodyType {
  const ct = contentType?.toLowerCase() ?? '';
  if (ct.includes('application/x-www-form-urlencoded')) return 'form';
  if (ct.includes('multipart/form-data')) return 'multipart';
  // A string is sent as written, also under a JSON Content-Type: it is JSON text already.
  return typeof body === 'string' ? 'text' : 'json';
}

const fieldText = (value: unknown) => (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));

function asObject(body: unknown, type: BodyType): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new NonRetryableError(
      `A ${type} body must be an object of fields, e.g. body: {name: "Ada"}; got ${Array.isArray(body) ? 'a list' : typeof body}.`,
    );
  }
  return body as Record<string, unknown>;
}

async function filePart(value: Record<string, unknown>, field: string, home: string): Promise<{ blob: Blob; filename: string }> {
  const type = typeof value.content_type === 'string' ? value.content_type : 'application/octet-stream';
  if (typeof value.file === 'string') {
    const real = await readableFile(value.file, home, `The file of multipart field "${field}",`);
    const filename = typeof value.filename === 'string' ? value.filename : path.basename(value.file);
    return { blob: await fs.openAsBlob(real, { type }), filename };
  }
  if (typeof value.filename !== 'string') throw new NonRetryableError(`Multipart field "${field}" with content needs a filename.`);
  return { blob: new Blob([fieldText(value.content)], { type }), filename: value.filename };
}

const isFileValue = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && (typeof (v as Record<string, unknown>).file === 'string' || 'filename' in v);

/**
 * @param home $KHAOSFLOW_HOME, for the folders file parts may come from
 * @example await buildRequestBody({ order_id: 7 }, undefined, {}, home) // { body: '{"order_id":7}', headers: { 'content-type': 'application/json' } }
 */
export async function buildRequestBody(
  body: unknown,
  bodyType: BodyType | undefined,
  headers: Record<string, string>,
  home: string,
): Promise<RequestBody> {
  if (body === undefined || body === null) return { body: null, headers };
  const ctKey = headerName(headers, 'content-type');
  const type = bodyType ?? inferType(body, ctKey ? headers[ctKey] : undefined);
  const out = { ...headers };
  const withType = (value: string) => {
    if (!ctKey) out['content-type'] = value;
    return out;
  };
  switch (type) {
    case 'json':
      return { body: JSON.stringify(body), headers: withType('application/json') };
    case 'text':
      return { body: fieldText(body), headers: withType('text/plain; charset=utf-8') };
    case 'form': {
      const form = new URLSearchParams();
      for (const [name, value] of Object.entries(asObject(body, type))) {
        for (const item of Array.isArray(value) ? value : [value])
          if (item !== undefined && item !== null) form.append(name, fieldText(item));
      }
      return { body: form, headers: withType('application/x-www-form-urlencoded') };
    }
    case 'multipart': {
      const form = new FormData();
      for (const [name, value] of Object.entries(asObject(body, type))) {
        for (const item of Array.isArray(value) ? value : [value]) {
          if (item === undefined || item === null) continue;
          if (isFileValue(item)) {
            const { blob, filename } = await filePart(item, name, home);
            form.append(name, blob, filename);
          } else {
            form.append(name, fieldText(item));
          }
        }
      }
      if (ctKey) delete out[ctKey];
      return { body: form, headers: out };
    }
  }
}
