// Opens a step's location, runs `work` on it and always closes the store (an FTP or
// SFTP connection must not outlive the step, even when it fails or is cancelled).
import { openLocation, type OpenedLocation } from '../../files/open-location.js';
import type { ActionContext } from '../../core/action.js';

export async function withLocation<T>(
  ctx: ActionContext,
  path: string,
  connection: string | undefined,
  work: (opened: OpenedLocation) => Promise<T>,
): Promise<T> {
  const opened = await openLocation(ctx, path, connection);
  try {
    return await work(opened);
  } finally {
    await opened.store.close();
  }
}
