import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The project root holds sql/, build/ and package.json. Source runs from
// <root>/server, the build from <root>/dist/server, so walk up to package.json
// instead of hard-coding the depth.
function findProjectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'sql'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('KhaosFlow could not find its project folder (package.json beside sql/).');
    dir = parent;
  }
}

export const projectRoot = findProjectRoot();
export const sqlDir = path.join(projectRoot, 'sql');
export const consoleBuildDir = path.join(projectRoot, 'build');
/** The example workflows and trigger snippets (the console's template gallery reads them). */
export const examplesDir = path.join(projectRoot, 'examples');

/** Where KhaosFlow keeps its own files (embedded Postgres, secret key): $KHAOSFLOW_HOME or ./.khaosflow. */
export function khaosflowHome(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.KHAOSFLOW_HOME ?? '.khaosflow');
}
