// One pooled nodemailer transport per smtp connection, reused across steps and runs
// (an SMTP login per email is slow and some providers throttle it). A transport is
// replaced when its connection's URL changes (new password, new host), and closed
// after a quiet minute so idle sockets do not linger.
import nodemailer, { type Transporter } from 'nodemailer';
import type { Connection } from '../connections/types.js';
import { smtpOptionsFromUrl } from '../connections/urls.js';

const IDLE_CLOSE_MS = 60_000;

interface PooledTransport {
  url: string;
  transporter: Transporter;
  idle: NodeJS.Timeout | null;
}

const transports = new Map<string, PooledTransport>();

function close(name: string, entry: PooledTransport): void {
  if (entry.idle) clearTimeout(entry.idle);
  entry.transporter.close();
  if (transports.get(name) === entry) transports.delete(name);
}

/** The pooled transport of `connection`; call `release` once the message is sent. */
export function smtpTransport(connection: Connection): { transporter: Transporter; release(): void } {
  let entry = transports.get(connection.name);
  if (entry && entry.url !== connection.url) {
    close(connection.name, entry);
    entry = undefined;
  }
  if (!entry) {
    entry = {
      url: connection.url,
      transporter: nodemailer.createTransport({ pool: true, maxConnections: 3, ...smtpOptionsFromUrl(connection.url) }),
      idle: null,
    };
    transports.set(connection.name, entry);
  }
  const current = entry;
  if (current.idle) clearTimeout(current.idle);
  current.idle = null;
  return {
    transporter: current.transporter,
    release() {
      if (current.idle) clearTimeout(current.idle);
      current.idle = setTimeout(() => close(connection.name, current), IDLE_CLOSE_MS);
      current.idle.unref();
    },
  };
}

/** Closes every pooled transport (shutdown, tests). */
export function closeSmtpTransports(): void {
  for (const [name, entry] of [...transports]) close(name, entry);
}
