// Param pieces shared by the file actions; they accept what the workflow schema
// (server/workflow/schema/actions/files.ts) accepts, after templates are resolved.
import { z } from 'zod';

export const pathParam = z.string().min(1, { error: 'must name a file: a local path or an s3:// ftp:// sftp:// URL' });
export const encodingParam = z.enum(['utf8', 'base64', 'binary', 'hex', 'ascii', 'latin1']).default('utf8');
export const connectionParam = z
  .string()
  .regex(/^[a-z0-9_]+$/i)
  .optional();
/** Booleans also as the text a template may give ("true"/"false"). */
export const flagParam = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
