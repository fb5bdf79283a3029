// Connections the actions keep open between steps (database pools, S3 clients, SMTP
// transports) are closed when the worker has stopped, so shutdown leaves nothing
// hanging on the far side.
import { closeDatabasePools } from './database-pools.js';
import { closeSmtpTransports } from './smtp-transports.js';
import { closeS3Clients } from './s3-clients.js';

export async function closeActionConnections(): Promise<void> {
  closeSmtpTransports();
  await Promise.all([closeDatabasePools(), closeS3Clients()]);
}
