// A failed FTP/SFTP login or connection as a step error a person can act on. A refused
// login fails the step at once (retrying the same password cannot help); a network
// problem may pass, so it is retried.
import { describeConnectionFailure } from '../connections/failures.js';
import { NonRetryableError, StepError } from '../core/errors.js';

export function connectError(kind: 'ftp' | 'sftp', where: string, err: unknown): StepError {
  const reason = describeConnectionFailure(kind, err, 20_000);
  const message = `Could not connect to ${where}: ${reason}${/[.?!]$/.test(reason) ? '' : '.'}`;
  return reason.startsWith('the login was refused')
    ? new NonRetryableError(message, { cause: err })
    : new StepError(message, { cause: err });
}
