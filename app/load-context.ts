// What the server hands every loader and action: the same services bag the API uses.
import type { Services } from '../server/services.js';

declare module 'react-router' {
  interface AppLoadContext {
    khaosflow: Services;
  }
}

export {};
