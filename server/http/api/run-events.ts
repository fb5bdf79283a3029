// GET /api/runs/<id>/events: a run's step and status changes as server-sent events
// (`event: step` / `event: run`, JSON data) until the run ends; then the stream closes.
// A late subscriber first gets what already happened (server/runs/events.ts).
import type Router from '@koa/router';
import { runEvents, type RunEvent } from '../../runs/index.js';
import type { Services } from '../../services.js';
import { requireApiAccess } from '../api-access.js';
import { trackLiveStream } from '../live-streams.js';

/** A comment line this often keeps proxies from closing a quiet stream. */
const KEEPALIVE_MS = 15_000;

const frame = (e: RunEvent) => `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`;

export function addRunEventsRoute(router: Router, services: Services): void {
  router.get('/:id/events', requireApiAccess(services, 'read', 'viewer'), async (ctx) => {
    const stop = new AbortController();
    const events = runEvents(services, ctx.params.id!, { signal: stop.signal });
    // The first event is read before answering, so an unknown run is a JSON 404.
    const first = await events.next();
    // Written by hand, not as a Koa body stream: a client leaving mid-stream is the
    // normal end of a live view, not an error to report.
    ctx.respond = false;
    const res = ctx.res;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
      Connection: 'keep-alive',
    });
    res.on('close', () => stop.abort());
    const untrack = trackLiveStream(services, () => stop.abort());
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
    try {
      if (!first.done) res.write(frame(first.value));
      for await (const e of events) res.write(frame(e));
    } catch (err) {
      services.logger.warn({ err, run: ctx.params.id }, 'run events stream stopped');
      res.write(
        `event: error\ndata: ${JSON.stringify({ message: 'The event stream stopped; read the run with GET /api/runs/<id>.' })}\n\n`,
      );
    } finally {
      clearInterval(keepalive);
      untrack();
      res.end();
    }
  });
}
