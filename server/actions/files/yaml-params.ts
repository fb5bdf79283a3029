// Params of the file actions as written in a workflow file, shared by their
// `authoring` schemas (the run-time params are in params.ts).
import { z } from 'zod';
import { connectionName, text } from '../../core/param-schemas.js';

export const yamlPath = text.meta({ description: 'A local path or an s3:// ftp:// sftp:// URL; templates allowed.' });
export const yamlEncoding = z.enum(['utf8', 'base64', 'binary', 'hex', 'ascii', 'latin1']).default('utf8');
export const yamlConnection = connectionName.optional().meta({ description: 'An s3/ftp/sftp connection for paths without a URL scheme.' });
