// The file actions, registered together in server/actions/index.ts.
import type { ActionDefinition } from '../../core/action.js';
import { fileDeleteAction } from './delete.js';
import { fileListAction } from './list.js';
import { fileReadAction } from './read.js';
import { fileCopyAction, fileDownloadAction, fileMoveAction, fileUploadAction } from './transfer.js';
import { fileWriteAction } from './write.js';

export const fileActions: ActionDefinition<any>[] = [
  fileWriteAction,
  fileReadAction,
  fileListAction,
  fileDeleteAction,
  fileMoveAction,
  fileCopyAction,
  fileUploadAction,
  fileDownloadAction,
];
