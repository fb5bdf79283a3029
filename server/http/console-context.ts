// The values the server hands the console's loaders, actions and middleware through
// React Router's request context. The console's server build bundles its own copy of
// this module while the HTTP server imports the compiled one; contexts are matched by
// object identity, so both copies take the same objects from a globalThis registry.
import { createContext, type RouterContext } from 'react-router';
import type { ConsoleAuth, ConsoleUser, RequestMeta } from '../console-auth/index.js';
import type { Services } from '../services.js';

interface ConsoleContexts {
  services: RouterContext<Services>;
  auth: RouterContext<ConsoleAuth>;
  /** The logged-in user, or null (set by the HTTP server from the session cookie). */
  user: RouterContext<ConsoleUser | null>;
  /** Client address and HTTPS-ness of the request, for sessions and cookies. */
  request: RouterContext<RequestMeta>;
}

const registry = globalThis as typeof globalThis & { __khaosflowConsoleContexts?: ConsoleContexts };
registry.__khaosflowConsoleContexts ??= {
  services: createContext<Services>(),
  auth: createContext<ConsoleAuth>(),
  user: createContext<ConsoleUser | null>(null),
  request: createContext<RequestMeta>(),
};

export const consoleContexts: ConsoleContexts = registry.__khaosflowConsoleContexts;
