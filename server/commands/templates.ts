// khaosflow templates set|list|delete|preview: email templates for send_email steps.
import fs from 'node:fs';
import type { Command } from 'commander';
import { previewTemplate } from '../email-templates/render.js';
import { createEmailTemplateStore, templatesDir } from '../email-templates/store.js';
import { CommandError, printJson, printTable, withServices } from './admin-runtime.js';

const readFile = (file: string | undefined) => (file === undefined ? null : fs.readFileSync(file, 'utf8'));

export function registerTemplates(program: Command): void {
  const templates = program.command('templates').description('manage email templates (subject, html and text with {{ }} placeholders)');

  templates
    .command('set')
    .description('create or replace an email template in the database')
    .argument('<name>')
    .requiredOption('--subject <text>', 'subject line, e.g. "Order {{order.id}} confirmed"')
    .option('--html-file <file>', 'the HTML part')
    .option('--text-file <file>', 'the plain-text part')
    .action(async (name: string, opts: { subject: string; htmlFile?: string; textFile?: string }) => {
      await withServices('templates', async (services) => {
        const store = createEmailTemplateStore(services.db, { dir: templatesDir(services.config.home) });
        await store.set({ name, subject: opts.subject, html: readFile(opts.htmlFile), text: readFile(opts.textFile) });
        process.stderr.write(`Email template "${name}" saved.\n`);
      });
    });

  templates
    .command('list')
    .description(`list email templates from the database and $KHAOSFLOW_HOME/templates/*.yaml`)
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      await withServices('templates', async (services) => {
        const list = await createEmailTemplateStore(services.db, { dir: templatesDir(services.config.home) }).list();
        if (opts.json) printJson(list);
        else
          printTable(
            list.map((t) => ({ ...t, parts: [t.hasHtml ? 'html' : '', t.hasText ? 'text' : ''].filter(Boolean).join('+') })),
            ['name', 'source', 'parts', 'subject'],
          );
      });
    });

  templates
    .command('delete')
    .description('delete a database email template')
    .argument('<name>')
    .action(async (name: string) => {
      await withServices('templates', async (services) => {
        if (!(await createEmailTemplateStore(services.db, { dir: templatesDir(services.config.home) }).delete(name))) {
          throw new CommandError(`There is no email template "${name}" in the database.`);
        }
        process.stderr.write(`Email template "${name}" deleted.\n`);
      });
    });

  templates
    .command('preview')
    .description('render a template with sample data and print subject, html and text as JSON')
    .argument('<name>')
    .option('--data <json>', 'sample data, e.g. \'{"order":{"id":7}}\'', '{}')
    .action(async (name: string, opts: { data: string }) => {
      await withServices('templates', async (services) => {
        let data: unknown;
        try {
          data = JSON.parse(opts.data);
        } catch (err) {
          throw new CommandError(`--data is not valid JSON: ${(err as Error).message}`, 2);
        }
        const template = await services.emailTemplates.get(name);
        if (!template) throw new CommandError(`There is no email template "${name}".`);
        printJson(await previewTemplate(template, (data ?? {}) as Record<string, unknown>));
      });
    });
}
