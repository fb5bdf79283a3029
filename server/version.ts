import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from './paths.js';

// Read from package.json at run time so the build never goes stale on a bump.
export const version: string = (JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;
