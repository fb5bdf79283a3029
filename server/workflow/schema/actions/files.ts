// File actions. Local paths are confined to KHAOSFLOW_FILE_ROOTS; `s3://`, `ftp://` and
// `sftp://` URLs (or a named connection) reach remote storage.
import { z } from 'zod';
import { connectionName, templatedValue, text } from '../primitives.js';
import { actionObject } from './action-object.js';

const path = text.meta({ description: 'A local path or an s3:// ftp:// sftp:// URL; templates allowed.' });
const encoding = z.enum(['utf8', 'base64', 'binary', 'hex', 'ascii', 'latin1']).default('utf8');
const connection = connectionName.optional().meta({ description: 'An s3/ftp/sftp connection for paths without a URL scheme.' });

export const fileWriteActionSchema = actionObject('file_write', {
  path,
  content: templatedValue.meta({ description: 'Text, or any value (written as JSON).' }),
  encoding,
  mode: z.enum(['overwrite', 'append', 'create']).default('overwrite').meta({ description: 'create fails when the file exists.' }),
  connection,
});

export const fileReadActionSchema = actionObject('file_read', {
  path,
  encoding,
  parse: z.enum(['text', 'json', 'csv', 'lines']).default('text'),
  connection,
});

export const fileListActionSchema = actionObject('file_list', {
  path,
  pattern: z.string().optional().meta({ description: 'Glob on file names, e.g. "*.csv".' }),
  recursive: z.boolean().default(false),
  connection,
});

export const fileDeleteActionSchema = actionObject('file_delete', {
  path,
  missing_ok: z.boolean().default(false),
  connection,
});

const transfer = {
  source: path,
  destination: path,
  overwrite: z.boolean().default(true),
  connection,
};

export const fileMoveActionSchema = actionObject('file_move', transfer);
export const fileCopyActionSchema = actionObject('file_copy', transfer);
export const fileUploadActionSchema = actionObject('file_upload', {
  ...transfer,
  content_type: z.string().optional(),
});
export const fileDownloadActionSchema = actionObject('file_download', transfer);
