// Renders a browser-only component (CodeMirror views) after hydration, loading its code
// then; the server's HTML shows `fallback` (the CSP allows no inline styles there, and
// these libraries measure the page anyway).
import { type ReactNode, Suspense, useEffect, useState } from 'react';

export function ClientOnly({ fallback, children }: { fallback: ReactNode; children: () => ReactNode }) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return mounted ? <Suspense fallback={fallback}>{children()}</Suspense> : fallback;
}
