// Cross-site request forgery guard for the console: a request that changes something
// (anything but GET/HEAD/OPTIONS) must come from the console's own origin. Browsers
// send Origin on every cross-site POST, and the session cookie is SameSite=Lax too,
// so a forged form post from another site is refused twice over. The API applies the
// same check to requests authenticated by the session cookie (api-access.ts).
import type Koa from 'koa';
import { HttpError } from '../core/http-error.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function originOf(value: string | undefined): string | null {
  if (!value) return null;
  try {
    return new URL(value).origin;
  } catch {
    return null;
  }
}

/** Throws 403 unless a request that changes something comes from this server's own origin (or KHAOSFLOW_PUBLIC_URL's). */
export function checkSameOrigin(ctx: Koa.Context, publicUrl: string | undefined): void {
  if (SAFE_METHODS.has(ctx.method)) return;
  const configured = originOf(publicUrl);
  const origin = originOf(ctx.get('origin')) ?? originOf(ctx.get('referer'));
  const own = `${ctx.protocol}://${ctx.host}`;
  if (!origin || (origin !== own && origin !== configured)) {
    throw new HttpError(
      403,
      'cross_origin',
      `Refused a ${ctx.method} to the console from ${origin ?? 'an unknown origin'}: console forms must be sent from the console itself (${configured ?? own}). Behind a proxy, set KHAOSFLOW_PUBLIC_URL and KHAOSFLOW_TRUST_PROXY=true.`,
    );
  }
}

export function sameOriginGuard(publicUrl: string | undefined): Koa.Middleware {
  return async (ctx, next) => {
    checkSameOrigin(ctx, publicUrl);
    await next();
  };
}
