// Creating and changing workflows over HTTP: YAML bodies (application/yaml or
// text/yaml), a `write` key or an editor's console session; problems come back at
// their line and column (422). Test runs of drafts are in workflow-tests.ts.
import Router from '@koa/router';
import type Koa from 'koa';
import type { Services } from '../../services.js';
import {
  AuthoringError,
  createWorkflow,
  listVersions,
  removeWorkflow,
  rollbackWorkflow,
  updateWorkflow,
  validateWorkflowText,
  versionSource,
} from '../../workflows/authoring.js';
import { requestAuthor, requireApiAccess } from '../api-access.js';
import { readJsonBody, readRawBody } from '../../core/http-body.js';
import { badRequest, HttpError } from '../../core/http-error.js';

const YAML_TYPES = ['application/yaml', 'text/yaml', 'application/x-yaml'];

export async function readYaml(ctx: Koa.Context): Promise<string> {
  if (!ctx.is(YAML_TYPES))
    throw new HttpError(415, 'unsupported_media_type', 'Send the workflow as YAML (Content-Type: application/yaml or text/yaml).');
  return (await readRawBody(ctx)).toString('utf8');
}

function asHttp(err: unknown): never {
  if (err instanceof AuthoringError) {
    if (err.kind === 'invalid') throw new HttpError(422, 'invalid_workflow', err.message, undefined);
    throw new HttpError(err.kind === 'conflict' ? 409 : 404, err.kind, err.message);
  }
  throw err;
}

/** Runs `work`, answering AuthoringErrors: 422 with the problems, 409, 404. */
export async function withAuthoringErrors(ctx: Koa.Context, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    // 422 answers carry the problems at the top level, as `khaosflow validate` lists them.
    if (err instanceof AuthoringError && err.kind === 'invalid') {
      ctx.status = 422;
      ctx.body = { error: 'invalid_workflow', message: err.message, problems: err.problems };
      return;
    }
    asHttp(err);
  }
}

export function workflowAuthoringRoutes(services: Services): Router {
  const router = new Router({ prefix: '/api/workflows' });
  const { db } = services;
  const run = withAuthoringErrors;

  router.post('/validate', requireApiAccess(services, 'read', 'viewer'), async (ctx) => {
    const { valid, problems } = validateWorkflowText(await readYaml(ctx));
    ctx.body = { valid, problems };
  });
  router.post('/', requireApiAccess(services, 'write', 'editor'), async (ctx) => {
    const text = await readYaml(ctx);
    await run(ctx, async () => {
      ctx.body = await createWorkflow(db, text, requestAuthor(ctx));
      ctx.status = 201;
    });
  });
  router.put('/:slug', requireApiAccess(services, 'write', 'editor'), async (ctx) => {
    const text = await readYaml(ctx);
    await run(ctx, async () => {
      ctx.body = await updateWorkflow(db, ctx.params.slug!, text, requestAuthor(ctx));
    });
  });
  router.delete('/:slug', requireApiAccess(services, 'write', 'editor'), async (ctx) => {
    await run(ctx, async () => {
      await removeWorkflow(db, ctx.params.slug!);
      ctx.status = 204;
    });
  });
  router.get('/:slug/versions', requireApiAccess(services, 'read', 'viewer'), async (ctx) => {
    await run(ctx, async () => {
      ctx.body = { versions: await listVersions(db, ctx.params.slug!) };
    });
  });
  router.get('/:slug/versions/:version', requireApiAccess(services, 'read', 'viewer'), async (ctx) => {
    const version = Number(ctx.params.version);
    if (!Number.isInteger(version) || version < 1) throw badRequest('The version is a whole number from 1.');
    await run(ctx, async () => {
      ctx.type = 'application/yaml';
      ctx.body = await versionSource(db, ctx.params.slug!, version);
    });
  });
  router.post('/:slug/rollback', requireApiAccess(services, 'write', 'editor'), async (ctx) => {
    const body = (await readJsonBody(ctx)) as { version?: unknown };
    if (!Number.isInteger(body.version) || (body.version as number) < 1)
      throw badRequest('Send {"version": n} with the version to roll back to.');
    await run(ctx, async () => {
      ctx.body = await rollbackWorkflow(db, ctx.params.slug!, body.version as number, requestAuthor(ctx));
    });
  });
  return router;
}
