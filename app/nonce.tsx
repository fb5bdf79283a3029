// The per-response CSP nonce: entry.server.tsx makes one for every page and the
// root layout puts it on React Router's inline scripts. In the browser it is
// undefined, which is fine: by then those scripts have run.
import { createContext, useContext } from 'react';

const NonceContext = createContext<string | undefined>(undefined);

export const NonceProvider = NonceContext.Provider;

export function useNonce(): string | undefined {
  return useContext(NonceContext);
}
