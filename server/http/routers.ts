// Every API and hook router the HTTP app mounts, in one list (one line per module).
import type Router from '@koa/router';
import type { Services } from '../services.js';
import { runRoutes } from './api/runs.js';

export function httpRouters(services: Services): Router[] {
  return [runRoutes(services)];
}
