// `connections test`: really connects with each type's client library, does the
// smallest thing that proves the connection works (select 1, ping, NOOP, pwd, a
// bucket listing, a HEAD request) and says in one sentence what failed.
import { HeadBucketCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { Client as FtpClient } from 'basic-ftp';
import { ImapFlow } from 'imapflow';
import { MongoClient } from 'mongodb';
import mysql from 'mysql2/promise';
import nodemailer from 'nodemailer';
import pg from 'pg';
import SftpClient from 'ssh2-sftp-client';
import { outboundDispatcher } from '../net/dispatcher.js';
import { checkUrlDestinations } from '../net/destination.js';
import { outboundPolicyFromEnv, type OutboundPolicy } from '../net/outbound-policy.js';
import { createRedactor } from '../secrets/redact.js';
import { describeConnectionFailure } from './failures.js';
import type { Connection, ConnectionType } from './types.js';
import {
  connectionSecretValues,
  connectionTarget,
  ftpOptionsFromUrl,
  httpBaseFromUrl,
  imapOptionsFromUrl,
  mysqlOptionsFromUrl,
  parseS3Url,
  sftpOptionsFromUrl,
  smtpOptionsFromUrl,
} from './urls.js';

export interface ConnectionTestResult {
  ok: boolean;
  /** One sentence for a person: what was reached, or what failed and what to check. */
  message: string;
  ms: number;
}

type Probe = (connection: Pick<Connection, 'url' | 'options'>, timeoutMs: number, policy: OutboundPolicy) => Promise<string>;

const probes: Record<ConnectionType, Probe> = {
  async postgres({ url }, timeoutMs) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('select 1');
      return 'select 1 answered';
    } finally {
      await client.end().catch(() => undefined);
    }
  },
  async mysql({ url }, timeoutMs) {
    const connection = await mysql.createConnection({ ...mysqlOptionsFromUrl(url), connectTimeout: timeoutMs });
    try {
      await connection.query('select 1');
      return 'select 1 answered';
    } finally {
      await connection.end().catch(() => undefined);
    }
  },
  async mongodb({ url }, timeoutMs) {
    const client = new MongoClient(url, { serverSelectionTimeoutMS: timeoutMs, connectTimeoutMS: timeoutMs });
    try {
      await client.connect();
      await client.db('admin').command({ ping: 1 });
      return 'ping answered';
    } finally {
      await client.close().catch(() => undefined);
    }
  },
  async smtp({ url }, timeoutMs) {
    const transport = nodemailer.createTransport({
      ...smtpOptionsFromUrl(url),
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    });
    try {
      await transport.verify();
      return 'the server accepted the login';
    } finally {
      transport.close();
    }
  },
  async imap({ url }, timeoutMs) {
    const client = new ImapFlow({
      ...imapOptionsFromUrl(url),
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    });
    client.on('error', () => undefined); // reported through connect()'s rejection
    try {
      await client.connect();
      await client.logout();
      return 'logged in and out';
    } finally {
      client.close();
    }
  },
  async s3({ url }, timeoutMs) {
    const { bucket, client: config } = parseS3Url(url);
    const client = new S3Client({ ...config, maxAttempts: 1 });
    try {
      const signal = AbortSignal.timeout(timeoutMs);
      if (bucket) {
        await client.send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal: signal });
        return `bucket "${bucket}" exists`;
      }
      const listed = await client.send(new ListBucketsCommand({}), { abortSignal: signal });
      return `listed ${listed.Buckets?.length ?? 0} bucket(s)`;
    } finally {
      client.destroy();
    }
  },
  async ftp({ url }, timeoutMs) {
    const client = new FtpClient(timeoutMs);
    try {
      await client.access(ftpOptionsFromUrl(url));
      return `logged in, working directory ${await client.pwd()}`;
    } finally {
      client.close();
    }
  },
  async sftp({ url, options }, timeoutMs) {
    const client = new SftpClient();
    try {
      await client.connect({ ...sftpOptionsFromUrl(url, options), readyTimeout: timeoutMs });
      return `logged in, working directory ${await client.cwd()}`;
    } finally {
      await client.end().catch(() => undefined);
    }
  },
  async http({ url, options }, timeoutMs, policy) {
    const { baseUrl, headers } = httpBaseFromUrl(url, options);
    // The same dispatcher as HTTP steps: addresses are checked when the socket connects.
    const dispatcher = await outboundDispatcher(policy);
    const request = (method: string) =>
      fetch(baseUrl, {
        method,
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        ...(dispatcher ? { dispatcher } : {}),
      } as RequestInit);
    let response = await request('HEAD');
    if (response.status === 405 || response.status === 501) response = await request('GET');
    await response.body?.cancel();
    const answer = `${response.status} ${response.statusText}`.trim();
    if (response.status === 401 || response.status === 403)
      throw Object.assign(new Error(`the server answered ${answer}`), { code: 'EAUTH' });
    if (response.status >= 500) throw new Error(`the server answered ${answer}`);
    return `the server answered ${answer}`;
  },
};

/**
 * Connects to the system a connection names and reports the outcome; never throws.
 * @example const r = await testConnection({ name: 'main', type: 'postgres', url, options: {} }); console.log(r.message);
 */
export async function testConnection(
  connection: Pick<Connection, 'name' | 'type' | 'url' | 'options'>,
  opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<ConnectionTestResult> {
  const policy = outboundPolicyFromEnv(opts.env ?? process.env);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let target = connection.url;
  try {
    target = connectionTarget(connection.url);
    const probe = probes[connection.type];
    if (!probe) throw new Error(`"${connection.type}" is not a connection type KhaosFlow knows`);
    // One outbound policy for every connection: a test must not reach what a step may not.
    await checkUrlDestinations(connection.url, policy);
    let timer: NodeJS.Timeout | undefined;
    // The libraries' own timeouts should fire first; this one guards against one that hangs regardless.
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })), timeoutMs + 2_000);
    });
    const what = await Promise.race([probe(connection, timeoutMs, policy), deadline]).finally(() => clearTimeout(timer));
    return {
      ok: true,
      message: `Connected to ${connection.type} connection "${connection.name}" at ${target}: ${what} (${elapsed()} ms).`,
      ms: elapsed(),
    };
  } catch (err) {
    // Some drivers quote what they were given; never let a password through.
    const reason = createRedactor(safeSecretValues(connection)).redactText(describeConnectionFailure(connection.type, err, timeoutMs));
    return {
      ok: false,
      message: `Could not connect to ${connection.type} connection "${connection.name}" at ${target}: ${reason}${/[.?!]$/.test(reason) ? '' : '.'}`,
      ms: elapsed(),
    };
  }
}

function safeSecretValues(connection: Pick<Connection, 'url' | 'options'>): string[] {
  try {
    return connectionSecretValues(connection);
  } catch {
    return [];
  }
}
