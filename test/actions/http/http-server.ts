// A real HTTP server on a loopback port for HTTP action tests. Routes are plain
// functions; every request is recorded (method, path, headers, body, arrival time) so
// tests assert what KhaosFlow actually sent.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  at: number;
}

export type Handler = (req: RecordedRequest, res: http.ServerResponse) => unknown;

export interface TestHttpServer {
  url: string;
  requests: RecordedRequest[];
  /** Requests to one path, in arrival order. */
  to(path: string): RecordedRequest[];
  route(method: string, path: string, handler: Handler): void;
  close(): Promise<void>;
}

export function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** A multipart or form body as the server sees it (parsed by Node's own Response). */
export function formDataOf(req: RecordedRequest): Promise<FormData> {
  return new Response(req.body, { headers: { 'content-type': String(req.headers['content-type']) } }).formData();
}

export async function startHttpServer(): Promise<TestHttpServer> {
  const routes = new Map<string, Handler>();
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://test');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks),
        at: Date.now(),
      };
      requests.push(recorded);
      const handler = routes.get(`${recorded.method} ${recorded.path}`) ?? routes.get(`* ${recorded.path}`);
      if (!handler) return json(res, 404, { error: `no route ${recorded.method} ${recorded.path}` });
      Promise.resolve(handler(recorded, res)).catch((err: Error) => {
        if (!res.headersSent) json(res, 500, { error: err.message });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    to: (path) => requests.filter((r) => r.path === path),
    route: (method, path, handler) => routes.set(`${method} ${path}`, handler),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
