// Reading an answer's body into step data by its content type: JSON parsed, XML turned
// into JSON, text kept as text, and anything binary written to a file under
// $KHAOSFLOW_HOME/files/http/<run>/ and returned as {file, size, content_type}, so an
// image or a PDF never sits in the run record. Parsed bodies are capped in size: the
// record of a run is not the place for a 200 MB JSON document. The run folders are
// deleted some days after their run finished (server/files/http-retention.ts).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { NonRetryableError } from '../../core/errors.js';
import { httpFilesDir } from '../../files/roots.js';
import { parseXml, XmlError } from './xml.js';

export type ResponseType = 'auto' | 'json' | 'text' | 'xml' | 'binary';

export const MAX_PARSED_BYTES = 10 * 1024 * 1024;
export const MAX_FILE_BYTES = 1024 * 1024 * 1024;

export interface BinaryBody {
  file: string;
  size: number;
  content_type: string;
  filename?: string;
}

export interface BodyReadOptions {
  home: string;
  runId: string;
  warn(message: string): void;
  /** The step's redaction, applied to a quoted answer before it is cut. */
  redact(text: string): string;
}

function tooLarge(limit: number, hint: string): NonRetryableError {
  return new NonRetryableError(`The answer is larger than ${Math.round(limit / 1024 / 1024)} MB; ${hint}.`);
}

async function readBytes(response: Response, limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit, 'use response_type: binary to save it as a file');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function decode(bytes: Uint8Array, contentType: string): string {
  const charset = /charset="?([\w-]+)"?/i.exec(contentType)?.[1] ?? 'utf-8';
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/** Text unless it has NUL bytes or is not valid UTF-8 (for answers without a Content-Type). */
function looksLikeText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function kindOf(contentType: string, requested: ResponseType): 'json' | 'xml' | 'text' | 'binary' | 'sniff' {
  if (requested !== 'auto') return requested;
  const ct = contentType.toLowerCase().split(';')[0]!.trim();
  if (!ct) return 'sniff';
  if (/[/+]json$/.test(ct)) return 'json';
  if (/[/+]xml$/.test(ct)) return 'xml';
  if (ct.startsWith('text/') || ct === 'application/javascript' || ct === 'application/x-www-form-urlencoded') return 'text';
  return 'binary';
}

function attachmentName(disposition: string | null): string | undefined {
  const name = disposition && /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1];
  return name ? path.basename(decodeURIComponent(name)) : undefined;
}

async function saveToFile(response: Response, contentType: string, opts: BodyReadOptions): Promise<BinaryBody> {
  const dir = path.join(httpFilesDir(opts.home), opts.runId);
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, randomUUID());
  const handle = await fs.open(file, 'wx', 0o640);
  let size = 0;
  try {
    if (response.body) {
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > MAX_FILE_BYTES) {
          await reader.cancel();
          throw tooLarge(MAX_FILE_BYTES, 'KhaosFlow does not keep answers this large');
        }
        await handle.write(value);
      }
    }
  } catch (err) {
    await handle.close();
    await fs.rm(file, { force: true });
    throw err;
  }
  await handle.close();
  const filename = attachmentName(response.headers.get('content-disposition'));
  return { file, size, content_type: contentType || 'application/octet-stream', ...(filename ? { filename } : {}) };
}

/**
 * The body as step data. `auto` follows Content-Type; a body that claims JSON or XML
 * but does not parse is kept as text (with a warning in the step's log).
 */
export async function readResponseBody(response: Response, requested: ResponseType, opts: BodyReadOptions): Promise<unknown> {
  const contentType = response.headers.get('content-type') ?? '';
  let kind = kindOf(contentType, requested);
  if (kind === 'binary') return saveToFile(response, contentType, opts);
  const bytes = await readBytes(response, MAX_PARSED_BYTES);
  if (bytes.byteLength === 0) return kind === 'text' ? '' : null;
  if (kind === 'sniff') kind = looksLikeText(bytes) ? 'text' : 'binary';
  if (kind === 'binary') {
    // (the cast: DOM's BodyInit, which the console's type check uses, wants an ArrayBuffer-backed view)
    return saveToFile(new Response(bytes as Uint8Array<ArrayBuffer>, { headers: response.headers }), contentType, opts);
  }
  const text = decode(bytes, contentType);
  if (kind === 'json') {
    try {
      return JSON.parse(text);
    } catch (err) {
      if (requested === 'json')
        throw new NonRetryableError(`The answer is not valid JSON (${(err as Error).message}): ${opts.redact(text).slice(0, 200)}`);
      opts.warn(`The answer says it is JSON (${contentType}) but does not parse; kept as text.`);
      return text;
    }
  }
  if (kind === 'xml') {
    try {
      return parseXml(text);
    } catch (err) {
      if (!(err instanceof XmlError)) throw err;
      if (requested === 'xml') throw new NonRetryableError(`The answer is not well-formed XML: ${err.message}`);
      opts.warn(`The answer says it is XML (${contentType}) but is not well-formed (${err.message}); kept as text.`);
      return text;
    }
  }
  return text;
}
