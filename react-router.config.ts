import type { Config } from '@react-router/dev/config';

export default {
  appDirectory: 'app',
  buildDirectory: 'build',
  ssr: true,
  // Route middleware: the console's login check runs before any loader or action,
  // for page loads and client-side data requests alike.
  future: { v8_middleware: true },
} satisfies Config;
