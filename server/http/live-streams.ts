// Responses that stay open (server-sent events) would keep the HTTP server from closing
// at shutdown: server.close() waits for every open connection. Each live stream
// registers how to end itself here, and the node ends them all before closing.
const open = new WeakMap<object, Set<() => void>>();

/** Registers `end` under `owner` (the node's services); returns the unregister. */
export function trackLiveStream(owner: object, end: () => void): () => void {
  let set = open.get(owner);
  if (!set) {
    set = new Set();
    open.set(owner, set);
  }
  set.add(end);
  return () => set.delete(end);
}

/** Ends every live stream of `owner` (shutdown). */
export function endLiveStreams(owner: object): void {
  for (const end of open.get(owner) ?? []) end();
}
