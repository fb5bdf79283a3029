#!/usr/bin/env node
// Entry point of the `khaosflow` command. Runs the compiled CLI so start-up never
// compiles TypeScript; `npm install` builds it (the `prepare` script).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../dist/server/cli.js', import.meta.url));
if (!existsSync(cli)) {
  console.error('khaosflow: the build is missing (dist/server/cli.js). Run `npm run build` in the project folder, then try again.');
  process.exit(2);
}
await import(pathToFileURL(cli).href);
