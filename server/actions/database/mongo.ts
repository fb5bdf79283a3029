// MongoDB operations of database_query (and the Mongo side of database_insert/update/
// delete). Filters and documents are Extended JSON, so `{ "_id": { "$oid": "..." } }`
// and `{ "$date": "..." }` reach the server as ObjectId and Date; results come back
// the same way, which a later step can pass straight into another filter.
import { BSON, type Document } from 'mongodb';
import { NonRetryableError, StepError } from '../../core/errors.js';
import { describeConnectionFailure } from '../../connections/failures.js';
import { mongoClient } from '../../connectors/database-pools.js';
import type { StatementResult } from './statements.js';
import type { DatabaseTarget } from './target.js';

export const MONGO_OPERATIONS = ['find', 'insert', 'update', 'delete', 'aggregate'] as const;

export interface MongoRequest {
  collection: string;
  operation: (typeof MONGO_OPERATIONS)[number];
  filter?: unknown;
  document?: unknown;
  documents?: unknown;
  update?: unknown;
  pipeline?: unknown;
  sort?: unknown;
  limit?: number | undefined;
  projection?: unknown;
  upsert?: boolean | undefined;
}

export interface MongoResult extends StatementResult {
  matched_count?: number;
  upserted_id?: unknown;
}

const fromJson = (value: unknown) => BSON.EJSON.deserialize(value as Document, { relaxed: true }) as Document;
const toJson = (docs: Document[]) => BSON.EJSON.serialize(docs, { relaxed: true }) as Record<string, unknown>[];

function objectParam(value: unknown, name: string, operation: string): Document {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new NonRetryableError(`The MongoDB ${operation} needs ${name}: as an object, e.g. ${name}: { status: "new" }.`);
  }
  return fromJson(value);
}

/** Update and delete change every matching document; an explicit `filter: {}` is required to mean "all". */
function requiredFilter(request: MongoRequest): Document {
  if (request.filter === undefined) {
    throw new NonRetryableError(
      `The MongoDB ${request.operation} needs filter: (which documents); write filter: {} to mean every document of ${request.collection}.`,
    );
  }
  return objectParam(request.filter, 'filter', request.operation);
}

/** An update without $-operators sets the given fields, as database_update does in SQL. */
function updateDocument(update: unknown): Document | Document[] {
  if (Array.isArray(update)) return update.map((stage) => fromJson(stage));
  const doc = objectParam(update, 'update', 'update');
  return Object.keys(doc).some((k) => k.startsWith('$')) ? doc : { $set: doc };
}

export async function runMongo(
  target: Extract<DatabaseTarget, { dialect: 'mongodb' }>,
  request: MongoRequest,
  timeoutMs: number,
): Promise<MongoResult> {
  let client;
  try {
    client = await mongoClient(target.connection);
  } catch (err) {
    throw new StepError(`Could not reach MongoDB (${target.label}): ${describeConnectionFailure('mongodb', err, 10_000)}`, { cause: err });
  }
  // The database named in the connection URL (mongodb://host/<database>).
  const collection = client.db().collection(request.collection);
  const maxTimeMS = Math.max(1, Math.round(timeoutMs));
  try {
    switch (request.operation) {
      case 'find': {
        const docs = await collection
          .find(request.filter === undefined ? {} : objectParam(request.filter, 'filter', 'find'), {
            maxTimeMS,
            ...(request.sort ? { sort: objectParam(request.sort, 'sort', 'find') as Record<string, 1 | -1> } : {}),
            ...(request.limit ? { limit: request.limit } : {}),
            ...(request.projection ? { projection: objectParam(request.projection, 'projection', 'find') } : {}),
          })
          .toArray();
        return { rows: toJson(docs), row_count: docs.length };
      }
      case 'aggregate': {
        if (!Array.isArray(request.pipeline))
          throw new NonRetryableError('The MongoDB aggregate needs pipeline: a list of stages, e.g. [{ $match: { status: "new" } }].');
        const docs = await collection
          .aggregate(
            request.pipeline.map((stage) => fromJson(stage)),
            { maxTimeMS },
          )
          .toArray();
        return { rows: toJson(docs), row_count: docs.length };
      }
      case 'insert': {
        const given = request.documents ?? (request.document === undefined ? undefined : [request.document]);
        if (!Array.isArray(given) || given.length === 0)
          throw new NonRetryableError('The MongoDB insert needs document: (one) or documents: (a list).');
        const docs = given.map((doc) => objectParam(doc, 'document', 'insert'));
        const answer = await collection.insertMany(docs);
        const rows = docs.map((doc, i) => ({ ...doc, _id: answer.insertedIds[i] }));
        return { rows: toJson(rows), row_count: answer.insertedCount };
      }
      case 'update': {
        if (request.update === undefined)
          throw new NonRetryableError('The MongoDB update needs update: the fields to set, or an update document with $set, $inc, ...');
        const answer = await collection.updateMany(requiredFilter(request), updateDocument(request.update), {
          upsert: request.upsert ?? false,
          maxTimeMS,
        });
        return {
          rows: [],
          row_count: answer.modifiedCount + answer.upsertedCount,
          matched_count: answer.matchedCount,
          ...(answer.upsertedId ? { upserted_id: toJson([{ id: answer.upsertedId }])[0]!.id } : {}),
        };
      }
      case 'delete': {
        const answer = await collection.deleteMany(requiredFilter(request), { maxTimeMS });
        return { rows: [], row_count: answer.deletedCount };
      }
    }
  } catch (err) {
    if (err instanceof StepError) throw err;
    const e = err as { code?: number; codeName?: string; message?: string };
    if (e.code === 50 || e.codeName === 'MaxTimeMSExpired') {
      throw new StepError(
        `The MongoDB ${request.operation} on ${target.label} ran longer than its timeout of ${maxTimeMS} ms and was stopped. Raise timeout: on the step's action, or add an index.`,
      );
    }
    const permanent = typeof e.code === 'number' && e.code !== 0 && ![6, 7, 89, 91, 112, 189, 11600, 11602, 10107, 13435].includes(e.code);
    const message = `The MongoDB ${request.operation} on ${request.collection} (${target.label}) failed: ${e.message ?? String(err)}`;
    throw permanent ? new NonRetryableError(message, { cause: err }) : new StepError(message, { cause: err });
  }
}
