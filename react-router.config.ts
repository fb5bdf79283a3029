import type { Config } from '@react-router/dev/config';

export default {
  appDirectory: 'app',
  buildDirectory: 'build',
  ssr: true,
  // Route middleware: the console's login check runs before any loader or action,
  // for page loads and client-side data requests alike.
  future: { v8_middleware: true },
  // The whole route manifest ships with the first page. With lazy discovery a fetcher
  // (the builder's draft check) that finished while a save redirected to a page not yet
  // discovered threw "Didn't find any matches after fetcher action" in React Router.
  routeDiscovery: { mode: 'initial' },
} satisfies Config;
