// run_script and the process isolation it relies on.
import type { ActionDefinition } from '../../core/action.js';
import { runScriptAction } from './run-script.js';

export const scriptActions: ActionDefinition<any>[] = [runScriptAction];
