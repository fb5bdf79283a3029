// What the HTTP API does with connections; ./connections.ts mounts these (after its
// own authentication) and jsonErrors turns the HttpErrors they throw into JSON answers:
//   GET    /api/connections              -> listConnections
//   POST   /api/connections              -> createConnection(body)
//   PUT    /api/connections/:name        -> updateConnection(name, body)
//   DELETE /api/connections/:name        -> deleteConnectionByName(name)
//   POST   /api/connections/:name/test   -> testConnectionByName(name)
//   POST   /api/connections/test         -> testConnectionByName(body)  (test before saving)
// Answers never carry a secret: passwords and secret options come back as `***`.
import { z } from 'zod';
import {
  ConnectionInputError,
  deleteConnection,
  saveConnection,
  validateConnectionInput,
  type ConnectionView,
} from '../../connections/store.js';
import { testConnection, type ConnectionTestResult } from '../../connections/test-connection.js';
import { CONNECTION_TYPES } from '../../connections/types.js';
import type { Services } from '../../services.js';
import { badRequest, HttpError, notFound } from '../../core/http-error.js';

type Deps = Pick<Services, 'db' | 'vault'>;

const optionsSchema = z.record(z.string(), z.string());
export const createConnectionSchema = z.object({
  name: z.string(),
  url: z.string().min(1),
  type: z.enum(CONNECTION_TYPES).optional(),
  options: optionsSchema.optional(),
});
export const updateConnectionSchema = createConnectionSchema.omit({ name: true });
export const testConnectionSchema = z.object({ name: z.string().optional(), url: z.string().min(1), options: optionsSchema.optional() });

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw badRequest(`Invalid connection: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}.`);
  return parsed.data;
}

function asHttpError(err: unknown): never {
  if (err instanceof ConnectionInputError) {
    throw /already exists/.test(err.message) ? new HttpError(409, 'conflict', err.message) : badRequest(err.message);
  }
  throw err;
}

export async function listConnections(deps: Deps): Promise<{ connections: ConnectionView[] }> {
  return { connections: await deps.vault.connections.list() };
}

export async function createConnection(deps: Deps, body: unknown): Promise<ConnectionView> {
  const input = parseBody(createConnectionSchema, body);
  try {
    return await saveConnection(deps.db, deps.vault.secrets, input, 'create');
  } catch (err) {
    asHttpError(err);
  } finally {
    deps.vault.connections.invalidate();
  }
}

/** Replaces a database connection; `***` in the URL's password or an option keeps the stored value. */
export async function updateConnection(deps: Deps, name: string, body: unknown): Promise<ConnectionView> {
  const input = parseBody(updateConnectionSchema, body);
  try {
    return await saveConnection(deps.db, deps.vault.secrets, { ...input, name }, 'update');
  } catch (err) {
    if (err instanceof ConnectionInputError && /no connection named/.test(err.message))
      throw notFound(`Connection "${name}" (in the database)`);
    asHttpError(err);
  } finally {
    deps.vault.connections.invalidate();
  }
}

export async function deleteConnectionByName(deps: Deps, name: string): Promise<{ deleted: string }> {
  const deleted = await deleteConnection(deps.db, deps.vault.secrets, name);
  deps.vault.connections.invalidate();
  if (!deleted)
    throw notFound(`Connection "${name}" (in the database; file and environment connections are changed where they are defined)`);
  return { deleted: name };
}

/** Tests a saved connection by name (any source), or an unsaved one given as `{url, options}`. */
export async function testConnectionByName(
  deps: Deps,
  target: string | unknown,
  opts: { timeoutMs?: number } = {},
): Promise<ConnectionTestResult> {
  if (typeof target === 'string') {
    const connection = await deps.vault.connections.get(target);
    if (!connection) throw notFound(`Connection "${target}"`);
    return testConnection(connection, opts);
  }
  const input = parseBody(testConnectionSchema, target);
  const name = input.name ?? 'unsaved';
  try {
    const type = validateConnectionInput({ name, url: input.url });
    return await testConnection({ name, type, url: input.url, options: input.options ?? {} }, opts);
  } catch (err) {
    asHttpError(err);
  }
}
