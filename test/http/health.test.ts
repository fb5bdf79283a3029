// /healthz with a database that does not answer: 503 for the load balancer, the
// database's own message in the log only (it names hosts and users).
import http from 'node:http';
import Koa from 'koa';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { healthRoutes } from '../../server/http/health.js';
import { createLogger } from '../../server/logger.js';
import type { Services } from '../../server/services.js';

// A real pool pointed at a port nothing listens on: connections are refused.
const pool = new pg.Pool({ connectionString: 'postgres://secret_user:pw@127.0.0.1:1/secret_db', connectionTimeoutMillis: 2000 });
afterAll(() => pool.end());

describe('/healthz', () => {
  it('answers 503 without the database error to anonymous callers', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', destination: { write: (line: string) => lines.push(line) } });
    const app = new Koa();
    app.use(healthRoutes({ pool, logger } as unknown as Services).routes());
    const server = http.createServer(app.callback()).listen(0, '127.0.0.1');
    try {
      await new Promise((resolve) => server.once('listening', resolve));
      const { port } = server.address() as { port: number };
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(res.status).toBe(503);
      const body = await res.text();
      expect(JSON.parse(body)).toEqual({ status: 'unavailable', database: 'unreachable' });
      expect(body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|secret/);
      expect(lines.join('')).toContain('ECONNREFUSED');
    } finally {
      server.close();
    }
  });
});
