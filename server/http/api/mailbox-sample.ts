// "Sample from the mailbox" for email triggers: POST /api/workflows/<slug>/mailbox-sample
// (or, for an unsaved draft, with {"yaml": "<workflow file>"}) answers the newest message
// of the watched mailbox that passes the trigger's filter, as {"sample": {"data"}} or
// {"sample": null} when none matches. The message stays unseen and where it is.
import Router from '@koa/router';
import type Koa from 'koa';
import { HttpError } from '../../core/http-error.js';
import type { Services } from '../../services.js';
import { MailboxSampleError, newestMailboxMessage } from '../../triggers/email/mailbox-sample.js';
import type { EmailTrigger } from '../../workflow/types.js';
import { requireApiAccess } from '../api-access.js';
import { sampleTrigger } from './sample-trigger.js';

const slugOf = (ctx: Koa.Context) => ctx.params.slug as string | undefined;

export function mailboxSampleRoutes(services: Services): Router {
  const router = new Router({ prefix: '/api/workflows' });

  router.post('/:slug/mailbox-sample', requireApiAccess(services, 'write', 'editor', slugOf), async (ctx) => {
    const slug = ctx.params.slug!;
    const trigger = await sampleTrigger(services, ctx, slug);
    if (trigger?.type !== 'email')
      throw new HttpError(
        422,
        'not_an_email_trigger',
        `Workflow "${slug}" has a ${trigger?.type ?? 'missing'} trigger; a sample from the mailbox is for email triggers only.`,
      );
    try {
      ctx.body = { sample: await newestMailboxMessage(services, trigger as EmailTrigger) };
    } catch (err) {
      if (err instanceof MailboxSampleError) throw new HttpError(422, 'no_mailbox_sample', err.message);
      throw err;
    }
  });

  return router;
}
