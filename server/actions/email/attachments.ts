// Attachments of send_email: a file (`path:`, inside the folders steps may read), a
// file another step produced (`content: "{{steps.download.result.body}}"`, the
// {file, size, content_type} of a binary HTTP answer), or text from step data.
import type { Attachment } from 'nodemailer/lib/mailer/index.js';
import { z } from 'zod';
import { NonRetryableError } from '../../core/errors.js';
import { readableFile } from '../http/local-files.js';

export const attachmentParams = z.object({
  filename: z.string().min(1),
  path: z.string().optional(),
  content: z.unknown().optional(),
  content_type: z.string().optional(),
});

type AttachmentParams = z.output<typeof attachmentParams>;

const fileReference = (v: unknown): v is { file: string; content_type?: string } =>
  typeof v === 'object' && v !== null && typeof (v as { file?: unknown }).file === 'string';

export async function mailAttachments(list: AttachmentParams[], home: string): Promise<Attachment[]> {
  const out: Attachment[] = [];
  for (const a of list) {
    const contentType = a.content_type ?? (fileReference(a.content) ? a.content.content_type : undefined);
    const base = { filename: a.filename, ...(contentType ? { contentType } : {}) };
    if (a.path !== undefined) {
      out.push({ ...base, path: await readableFile(a.path, home, `Attachment "${a.filename}":`) });
    } else if (fileReference(a.content)) {
      out.push({ ...base, path: await readableFile(a.content.file, home, `Attachment "${a.filename}":`) });
    } else if (a.content !== undefined && a.content !== null) {
      out.push({ ...base, content: typeof a.content === 'string' ? a.content : JSON.stringify(a.content, null, 2) });
    } else {
      throw new NonRetryableError(`Attachment "${a.filename}" needs path: (a file) or content: (text or a file another step produced).`);
    }
  }
  return out;
}
