import { Outlet, redirect } from 'react-router';
import type { Route } from './+types/console-layout';
import { AppShell } from '../components/app-shell';
import { userOf } from '../context';

/** Where the browser was going, for after the login (data requests' `.data` suffix removed). */
function destination(request: Request): string {
  const url = new URL(request.url);
  url.searchParams.delete('_routes');
  const path = url.pathname.replace(/\.data$/, '').replace(/^\/_root$/, '/') || '/';
  return path + (url.search || '');
}

// Runs before every loader and action below this layout, for page loads and the
// client's data requests alike: no user, no data.
export const middleware: Route.MiddlewareFunction[] = [
  async ({ context, request }, next) => {
    if (!userOf(context)) {
      const to = destination(request);
      throw redirect(to === '/' ? '/login' : `/login?next=${encodeURIComponent(to)}`);
    }
    return next();
  },
];

export async function loader({ context }: Route.LoaderArgs) {
  const user = userOf(context)!;
  return { user: { email: user.email, name: user.name, role: user.role } };
}

export default function ConsoleLayout({ loaderData }: Route.ComponentProps) {
  return (
    <AppShell user={loaderData.user}>
      <Outlet />
    </AppShell>
  );
}
