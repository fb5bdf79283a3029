// Keeps unsaved editor text from being lost: leaving the page inside the console asks
// first (React Router's blocker), closing or reloading the tab asks the browser's way.
import { useEffect } from 'react';
import { useBlocker } from 'react-router';

export const UNSAVED_QUESTION = 'The workflow has unsaved changes. Leave and lose them?';

/** `allow()` says whether a navigation is ours (a save's redirect), which never asks. */
export function useUnsavedGuard(dirty: boolean, allow: () => boolean): void {
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      dirty && !allow() && (currentLocation.pathname !== nextLocation.pathname || currentLocation.search !== nextLocation.search),
  );
  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    if (window.confirm(UNSAVED_QUESTION)) blocker.proceed();
    else blocker.reset();
  }, [blocker]);
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
}
