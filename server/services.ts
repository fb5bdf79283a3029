// The resources bag handed to every part of the server (HTTP, worker, triggers):
// explicit instead of module-level globals, so tests can build one per database.
import type pg from 'pg';
import type { Db } from '../db/client.js';
import type { Config } from './config.js';
// Imported for the declaration merging at the end of this file.
import type {} from './core/action.js';
import type { ConnectionResolver } from './connections/types.js';
import type { ActionRegistry } from './core/action-registry.js';
import type { EmailTemplateAdmin } from './email-templates/store.js';
import type { SecretStore } from './secrets/types.js';
import type { Vault } from './vault.js';
import type { VariableAdmin } from './variables/store.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics/index.js';

export interface Services {
  config: Config;
  logger: Logger;
  pool: pg.Pool;
  db: Db;
  /** Identifies this process in khaosflow.workers and in logs. */
  nodeId: string;
  connections: ConnectionResolver;
  secrets: SecretStore;
  /** Variables (steps read `all()`; the API and console also write). */
  variables: VariableAdmin;
  emailTemplates: EmailTemplateAdmin;
  /** The writable side of secrets and connections (CLI, API, console); steps use the read-only stores above. */
  vault: Vault;
  /** The action types this process runs: built-ins, plugins (and test actions in tests). The engine looks steps up here. */
  actions: ActionRegistry;
  /** This process's Prometheus registry (served at /metrics) and engine counters. */
  metrics: Metrics;
}

// Completes the action contract of server/core/action.ts: a step's ctx.services is this bag
// and ctx.connections the resolver, without core importing anything above it.
declare module './core/action.js' {
  interface ActionServices extends Services {}
  interface ActionConnections extends ConnectionResolver {}
}
