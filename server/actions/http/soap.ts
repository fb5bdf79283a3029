// `soap`: a SOAP 1.1 or 1.2 call. `body` is the XML inside <soap:Body>; its `{{ }}`
// values are XML-escaped when rendered. The answer's Body is returned as JSON with
// namespace prefixes dropped (`body.GetPriceResponse.Price`); a Fault fails the step
// with its code and text (a client fault is not retried, a server fault may be).
import { z } from 'zod';
import { NonRetryableError, StepError } from '../../core/errors.js';
import { defineAction } from '../../core/action.js';
import { durationParam } from './duration-param.js';
import { renderMarkup } from './escaped-template.js';
import { performHttp } from './http-call.js';
import { statusError } from './status-errors.js';
import { authParams, headerParams, resolveTarget } from './target.js';
import { parseXml, XmlError } from './xml.js';
import { connectionName, stringRecord, text as nonEmptyText } from '../../core/param-schemas.js';
import { yamlAuth, yamlTimeout, yamlUrl } from './yaml-params.js';

const params = z.object({
  url: z.string().min(1),
  soap_action: z.string().optional(),
  version: z.enum(['1.1', '1.2']).default('1.1'),
  body: z.string(),
  headers: headerParams.optional(),
  auth: authParams.optional(),
  timeout: durationParam.optional(),
  connection: z.string().optional(),
});

const NAMESPACES = { '1.1': 'http://schemas.xmlsoap.org/soap/envelope/', '1.2': 'http://www.w3.org/2003/05/soap-envelope' };

type Xml = Record<string, unknown>;
const child = (node: unknown, name: string): unknown => (typeof node === 'object' && node !== null ? (node as Xml)[name] : undefined);
const text = (node: unknown): string =>
  typeof node === 'string' ? node : typeof node === 'object' && node !== null ? String((node as Xml)['#text'] ?? JSON.stringify(node)) : '';

/** Fault code and text in either SOAP version, or null when `body` holds no Fault. */
function faultOf(body: unknown): { code: string; reason: string; detail: unknown } | null {
  const fault = child(body, 'Fault');
  if (fault === undefined) return null;
  const code = text(child(fault, 'faultcode') ?? child(child(fault, 'Code'), 'Value'));
  const reason = text(child(fault, 'faultstring') ?? child(child(fault, 'Reason'), 'Text'));
  return { code, reason, detail: child(fault, 'detail') ?? child(fault, 'Detail') ?? null };
}

export const soapAction = defineAction({
  type: 'soap',
  title: 'SOAP call',
  params,
  authoring: (action) =>
    action({
      url: yamlUrl,
      soap_action: z.string().optional().meta({ description: 'The SOAPAction header.' }),
      version: z.enum(['1.1', '1.2']).default('1.1'),
      body: nonEmptyText.meta({ description: 'The XML inside <soap:Body>; templates allowed (their values are XML-escaped).' }),
      headers: stringRecord.optional(),
      auth: yamlAuth.optional(),
      timeout: yamlTimeout,
      connection: connectionName.optional(),
    }),
  paramKinds: { markup: ['body'] },
  async run(ctx, p) {
    const inner = await renderMarkup(p.body, ctx.expressionContext, ctx.step.name);
    const envelope = `<?xml version="1.0" encoding="utf-8"?>\n<soap:Envelope xmlns:soap="${NAMESPACES[p.version]}"><soap:Body>${inner}</soap:Body></soap:Envelope>`;
    const target = await resolveTarget(ctx, p);
    const action = p.soap_action ?? '';
    if (p.version === '1.1') {
      target.headers['content-type'] ??= 'text/xml; charset=utf-8';
      target.headers.soapaction ??= `"${action}"`;
    } else {
      target.headers['content-type'] ??= `application/soap+xml; charset=utf-8${action ? `; action="${action}"` : ''}`;
    }
    const { output, answer } = await performHttp(ctx, {
      method: 'POST',
      target,
      body: envelope,
      bodyType: 'text',
      timeoutMs: p.timeout,
      responseType: 'text',
    });
    let body: unknown;
    try {
      body =
        typeof output.body === 'string' && output.body.trim()
          ? child(parseXml(output.body, { stripPrefixes: true }).Envelope, 'Body')
          : undefined;
    } catch (err) {
      if (!(err instanceof XmlError)) throw err;
      body = undefined; // not XML at all (an HTML error page): the status decides below
    }
    const fault = faultOf(body);
    if (fault) {
      const message = `SOAP fault from ${answer.url}: ${fault.code || 'no faultcode'}: ${fault.reason || 'no faultstring'}`;
      const details = { status: answer.status, faultcode: fault.code, faultstring: fault.reason, detail: fault.detail };
      throw /(^|:)(Server|Receiver)$/.test(fault.code) ? new StepError(message, { details }) : new NonRetryableError(message, { details });
    }
    const error = statusError(answer, ctx.redact);
    if (error) throw error;
    if (body === undefined)
      throw new NonRetryableError(
        `${answer.url} answered ${answer.status} without a SOAP envelope: ${ctx.redact(String(output.body)).slice(0, 200)}`,
      );
    return { status: output.status, headers: output.headers, body };
  },
});
