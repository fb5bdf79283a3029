// The console's view of the request context the server fills in (server/http/console.ts).
import type { RouterContextProvider } from 'react-router';
import { consoleContexts } from '../server/http/console-context.js';

type Context = Readonly<RouterContextProvider>;

export const servicesOf = (context: Context) => context.get(consoleContexts.services);
export const authOf = (context: Context) => context.get(consoleContexts.auth);
export const userOf = (context: Context) => context.get(consoleContexts.user);
export const requestMetaOf = (context: Context) => context.get(consoleContexts.request);

/** A `next` target that stays on this console (a path, never `//host` or a URL), else `/`. */
export function localPath(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}
