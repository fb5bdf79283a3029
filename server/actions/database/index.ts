// The database actions, registered together in server/actions/index.ts. Their pools
// are closed at shutdown with closeDatabasePools().
import type { ActionDefinition } from '../../core/action.js';
import { databaseDeleteAction } from './delete.js';
import { databaseInsertAction } from './insert.js';
import { databaseQueryAction } from './query.js';
import { databaseUpdateAction } from './update.js';

export { closeDatabasePools } from '../../connectors/database-pools.js';

export const databaseActions: ActionDefinition<any>[] = [
  databaseQueryAction,
  databaseInsertAction,
  databaseUpdateAction,
  databaseDeleteAction,
];
