import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBench, type Bench } from '../../helpers/engine.js';
import { json, startHttpServer, type TestHttpServer } from './http-server.js';
import { errorOf, runAction } from './step.js';

let bench: Bench;
let server: TestHttpServer;
beforeAll(async () => {
  [bench, server] = await Promise.all([startBench(), startHttpServer()]);
  server.route('POST', '/graphql', (req, res) => {
    const { query, variables, operationName } = JSON.parse(req.body.toString()) as {
      query: string;
      variables: { id: string };
      operationName?: string;
    };
    if (query.includes('nope'))
      return json(res, 200, {
        data: null,
        errors: [{ message: 'Cannot query field "nope" on type "Query".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }],
      });
    if (variables.id === 'missing')
      return json(res, 200, { data: { user: null }, errors: [{ message: 'User missing not found', path: ['user'] }] });
    json(res, 200, { data: { user: { id: variables.id, name: 'Ada', operation: operationName ?? null } } });
  });
  server.route('POST', '/soap', (req, res) => {
    const envelope = req.body.toString();
    res.writeHead(envelope.includes('<m:Symbol>BAD</m:Symbol>') ? 500 : 200, { 'content-type': 'text/xml; charset=utf-8' });
    if (envelope.includes('<m:Symbol>BAD</m:Symbol>')) {
      return res.end(
        `<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Client</faultcode><faultstring>Unknown symbol BAD</faultstring><detail><code>42</code></detail></soap:Fault></soap:Body></soap:Envelope>`,
      );
    }
    const symbol = /<m:Symbol>([^<]*)<\/m:Symbol>/.exec(envelope)?.[1];
    res.end(
      `<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><m:GetPriceResponse xmlns:m="urn:stock"><m:Price>34.5</m:Price><m:Symbol>${symbol}</m:Symbol></m:GetPriceResponse></soap:Body></soap:Envelope>`,
    );
  });
});
afterAll(async () => {
  await server?.close();
  await bench?.stop();
});

describe('graphql', () => {
  it('sends the query with variables and returns data', async () => {
    const { last } = await runAction(
      bench,
      `
type: graphql
url: ${server.url}/graphql
query: "query GetUser($id: ID!) { user(id: $id) { id name } }"
variables: { id: "{{trigger.data.id}}" }
operation_name: GetUser`,
      { id: 'u1' },
    );
    expect(last.output).toMatchObject({ status: 200, data: { user: { id: 'u1', name: 'Ada', operation: 'GetUser' } } });
    expect(server.to('/graphql').at(-1)!.headers['content-type']).toBe('application/json');
  });

  it('fails the step with the messages of GraphQL errors', async () => {
    const invalid = await runAction(
      bench,
      `
type: graphql
url: ${server.url}/graphql
query: "{ nope }"
retry: { attempts: 3, delay: 10ms }`,
    );
    expect(invalid.run.status).toBe('failed');
    expect(invalid.attempts).toHaveLength(1);
    expect(errorOf(invalid.last)).toMatchObject({
      name: 'NonRetryableError',
      message: `GraphQL at ${server.url}/graphql answered with errors: Cannot query field "nope" on type "Query".`,
    });
    const missing = await runAction(
      bench,
      `
type: graphql
url: ${server.url}/graphql
query: "query { user(id: $id) { id } }"
variables: { id: missing }`,
    );
    expect(errorOf(missing.last).message).toBe(`GraphQL at ${server.url}/graphql answered with errors: User missing not found (at user)`);
    expect(errorOf(missing.last).details).toMatchObject({ data: { user: null } });
  });
});

describe('soap', () => {
  it('wraps the body in an envelope, sends SOAPAction, and returns the Body as JSON', async () => {
    const { last } = await runAction(
      bench,
      `
type: soap
url: ${server.url}/soap
soap_action: urn:stock/GetPrice
body: |
  <m:GetPrice xmlns:m="urn:stock"><m:Symbol>{{trigger.data.symbol}}</m:Symbol></m:GetPrice>`,
      { symbol: 'A&B<C>' },
    );
    expect(last.output).toMatchObject({ status: 200, body: { GetPriceResponse: { Price: '34.5', Symbol: 'A&B<C>' } } });
    const sent = server.to('/soap').at(-1)!;
    expect(sent.headers.soapaction).toBe('"urn:stock/GetPrice"');
    expect(sent.headers['content-type']).toBe('text/xml; charset=utf-8');
    // Trigger data is escaped: it cannot add elements to the envelope.
    expect(sent.body.toString()).toContain('<m:Symbol>A&amp;B&lt;C&gt;</m:Symbol>');
    expect(sent.body.toString()).toMatch(
      /^<\?xml version="1.0" encoding="utf-8"\?>\n<soap:Envelope xmlns:soap="http:\/\/schemas.xmlsoap.org\/soap\/envelope\/"><soap:Body>/,
    );
  });

  it('fails the step with faultcode and faultstring of a SOAP fault', async () => {
    const { run, attempts, last } = await runAction(
      bench,
      `
type: soap
url: ${server.url}/soap
soap_action: urn:stock/GetPrice
body: <m:GetPrice xmlns:m="urn:stock"><m:Symbol>BAD</m:Symbol></m:GetPrice>
retry: { attempts: 2, delay: 10ms }`,
    );
    expect(run.status).toBe('failed');
    expect(attempts).toHaveLength(1);
    expect(errorOf(last)).toMatchObject({
      name: 'NonRetryableError',
      message: `SOAP fault from ${server.url}/soap: soap:Client: Unknown symbol BAD`,
      details: { status: 500, faultcode: 'soap:Client', faultstring: 'Unknown symbol BAD', detail: { code: '42' } },
    });
  });
});
