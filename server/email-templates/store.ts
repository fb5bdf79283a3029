// Email templates from khaosflow.email_templates (console, CLI) and, for GitOps, from
// files $KHAOSFLOW_HOME/templates/<name>.yaml:
//
//   subject: Order {{order.id}} confirmed
//   html: |
//     <p>Hello {{customer.name}}, thank you for your order.</p>
//   text: |
//     Hello {{customer.name}}, thank you for your order.
//
// The database wins over a file of the same name. At least one of html and text.
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Db } from '../../db/client.js';
import type { EmailTemplate, EmailTemplateStore } from './types.js';

export const TEMPLATE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

export interface EmailTemplateInfo {
  name: string;
  subject: string;
  hasHtml: boolean;
  hasText: boolean;
  source: 'database' | 'file';
}

export interface EmailTemplateAdmin extends EmailTemplateStore {
  set(template: EmailTemplate): Promise<void>;
  /** @returns false when the database had no such template */
  delete(name: string): Promise<boolean>;
  list(): Promise<EmailTemplateInfo[]>;
}

export function templatesDir(home: string): string {
  return path.join(home, 'templates');
}

export function validateTemplate(template: EmailTemplate, where = `Email template "${template.name}"`): EmailTemplate {
  if (!TEMPLATE_NAME.test(template.name))
    throw new Error(`"${template.name}" is not a valid template name: use letters, digits, "_" and "-".`);
  if (typeof template.subject !== 'string' || template.subject.trim() === '') throw new Error(`${where} needs a subject.`);
  if (template.html === null && template.text === null) throw new Error(`${where} needs an html part, a text part, or both.`);
  return template;
}

/** Reads `<dir>/<name>.yaml`; null when there is no such file. */
export function readTemplateFile(dir: string, name: string): EmailTemplate | null {
  if (!TEMPLATE_NAME.test(name)) return null;
  const file = path.join(dir, `${name}.yaml`);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
  const body = (data ?? {}) as Record<string, unknown>;
  const str = (key: string) => {
    const value = body[key];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string') throw new Error(`${file}: "${key}" must be text.`);
    return value;
  };
  return validateTemplate({ name, subject: str('subject') ?? '', html: str('html'), text: str('text') }, file);
}

/**
 * @example const templates = createEmailTemplateStore(db, { dir: templatesDir(config.home) }); await templates.get('order_confirmation');
 */
export function createEmailTemplateStore(db: Db, opts: { dir: string }): EmailTemplateAdmin {
  return {
    async get(name) {
      const row = await db
        .selectFrom('khaosflow.email_templates')
        .select(['name', 'subject', 'html', 'text'])
        .where('name', '=', name)
        .executeTakeFirst();
      return row ?? readTemplateFile(opts.dir, name);
    },
    async set(template) {
      const t = validateTemplate(template);
      await db
        .insertInto('khaosflow.email_templates')
        .values({ name: t.name, subject: t.subject, html: t.html, text: t.text })
        .onConflict((oc) => oc.column('name').doUpdateSet({ subject: t.subject, html: t.html, text: t.text, updated_at: new Date() }))
        .execute();
    },
    async delete(name) {
      const result = await db.deleteFrom('khaosflow.email_templates').where('name', '=', name).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async list() {
      const rows = await db.selectFrom('khaosflow.email_templates').select(['name', 'subject', 'html', 'text']).orderBy('name').execute();
      const seen = new Map<string, EmailTemplateInfo>();
      const info = (t: EmailTemplate, source: EmailTemplateInfo['source']): EmailTemplateInfo => ({
        name: t.name,
        subject: t.subject,
        hasHtml: t.html !== null,
        hasText: t.text !== null,
        source,
      });
      for (const row of rows) seen.set(row.name, info(row, 'database'));
      const files = fs.existsSync(opts.dir) ? fs.readdirSync(opts.dir).filter((f) => f.endsWith('.yaml')) : [];
      for (const file of files) {
        const name = file.slice(0, -'.yaml'.length);
        if (seen.has(name)) continue;
        const template = readTemplateFile(opts.dir, name);
        if (template) seen.set(name, info(template, 'file'));
      }
      return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
    },
  };
}
