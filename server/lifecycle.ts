// Orderly shutdown on SIGINT/SIGTERM: resources register a closer as they start and
// are closed in reverse order (HTTP stops accepting, then the worker finishes or
// releases its runs, then pools close, then the embedded Postgres stops). A second
// signal while shutting down exits at once.
import type { Logger } from './logger.js';

type Closer = { name: string; close: () => Promise<void> };

export class Lifecycle {
  private closers: Closer[] = [];
  private shuttingDown: Promise<void> | null = null;

  constructor(private readonly logger: Logger) {}

  /** Registers `close` to run at shutdown, before everything registered earlier. */
  add(name: string, close: () => Promise<void>): void {
    this.closers.push({ name, close });
  }

  get stopping(): boolean {
    return this.shuttingDown !== null;
  }

  shutdown(reason: string): Promise<void> {
    if (this.shuttingDown) return this.shuttingDown;
    this.logger.info({ reason }, 'shutting down');
    this.shuttingDown = (async () => {
      for (const closer of this.closers.reverse()) {
        try {
          await closer.close();
        } catch (err) {
          this.logger.error({ err, resource: closer.name }, 'failed to close cleanly');
        }
      }
      this.closers = [];
    })();
    return this.shuttingDown;
  }

  /** Installs SIGINT/SIGTERM handlers that shut down and then exit with `code`. */
  handleSignals(): void {
    const onSignal = (signal: NodeJS.Signals) => {
      if (this.shuttingDown) {
        this.logger.warn({ signal }, 'second signal: exiting without waiting');
        process.exit(130);
      }
      void this.shutdown(signal).then(() => process.exit(0));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
}
