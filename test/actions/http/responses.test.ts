import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseXml } from '../../../server/actions/http/xml.js';
import { startBench, type Bench } from '../../helpers/engine.js';
import { startHttpServer, type TestHttpServer } from './http-server.js';
import { logsOf, runAction } from './step.js';

let bench: Bench;
let server: TestHttpServer;
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0xff, 0x10, 0x42]);
beforeAll(async () => {
  [bench, server] = await Promise.all([startBench(), startHttpServer()]);
  server.route('GET', '/order.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/xml; charset=utf-8' });
    res.end(
      '<?xml version="1.0"?><order id="7"><customer>Ada &amp; Co</customer><item sku="a">Lamp</item><item sku="b">Desk</item></order>',
    );
  });
  server.route('GET', '/logo.png', (_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png', 'content-disposition': 'attachment; filename="logo.png"' });
    res.end(png);
  });
  server.route('GET', '/plain', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('just words');
  });
  server.route('GET', '/broken-json', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"not": json');
  });
});
afterAll(async () => {
  await server?.close();
  await bench?.stop();
});

describe('answers by content type', () => {
  it('turns XML into JSON', async () => {
    const { last } = await runAction(
      bench,
      `
type: http_request
url: ${server.url}/order.xml`,
    );
    expect((last.output as { body: unknown }).body).toEqual({
      order: {
        '@id': '7',
        customer: 'Ada & Co',
        item: [
          { '@sku': 'a', '#text': 'Lamp' },
          { '@sku': 'b', '#text': 'Desk' },
        ],
      },
    });
  });

  it('keeps a binary answer as a file reference', async () => {
    const { run, last } = await runAction(
      bench,
      `
type: http_request
url: ${server.url}/logo.png`,
    );
    const body = (last.output as { body: { file: string; size: number; content_type: string; filename: string } }).body;
    expect(body).toMatchObject({ size: png.length, content_type: 'image/png', filename: 'logo.png' });
    expect(body.file).toContain(`/files/http/${run.id}/`);
    expect(fs.readFileSync(body.file)).toEqual(png);
    fs.rmSync(path.dirname(body.file), { recursive: true });
  });

  it('reads text, and keeps JSON that does not parse as text with a warning', async () => {
    const text = await runAction(
      bench,
      `
type: http_request
url: ${server.url}/plain`,
    );
    expect((text.last.output as { body: unknown }).body).toBe('just words');
    const broken = await runAction(
      bench,
      `
type: http_request
url: ${server.url}/broken-json`,
    );
    expect((broken.last.output as { body: unknown }).body).toBe('{"not": json');
    expect(logsOf(broken.last)).toContain('The answer says it is JSON (application/json) but does not parse; kept as text.');
  });

  it('fails when response_type: json meets something else', async () => {
    const { run } = await runAction(
      bench,
      `
type: http_request
url: ${server.url}/plain
response_type: json`,
    );
    expect(run.status).toBe('failed');
  });
});

describe('the XML parser', () => {
  it('does not expand entities a DTD declares', () => {
    const xml = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><lolz>&lol2;</lolz>';
    expect(parseXml(xml)).toEqual({ lolz: '&lol2;' });
    const xxe = '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>';
    expect(parseXml(xxe)).toEqual({ foo: '&xxe;' });
  });

  it('says where XML is broken', () => {
    expect(() => parseXml('<a>\n<b>\n</a>')).toThrow('</a> does not close <b> (line 3)');
  });
});
