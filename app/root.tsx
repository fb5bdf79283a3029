import { isRouteErrorResponse, Links, Meta, Outlet, Scripts, ScrollRestoration } from 'react-router';
import type { Route } from './+types/root';
import { AppShell } from './components/app-shell';
import { useNonce } from './nonce';
import './app.css';

export const meta: Route.MetaFunction = () => [{ title: 'KhaosFlow' }];

export const links: Route.LinksFunction = () => [{ rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' }];

export function Layout({ children }: { children: React.ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        {/* Browsers hide nonce attributes (they read as ""): the client renders "" so hydration matches. */}
        <Links nonce={nonce ?? ''} />
      </head>
      <body className="min-h-screen font-sans antialiased">
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const title = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : 'Something went wrong';
  const payload: unknown = isRouteErrorResponse(error) ? error.data : null;
  const detail = !isRouteErrorResponse(error)
    ? 'The server log has the details.'
    : typeof payload === 'object' && payload !== null && 'error' in payload
      ? String((payload as { error: unknown }).error)
      : String(payload ?? '');
  return (
    <AppShell>
      <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-6">
        <h1 className="text-lg font-semibold text-red-800">{title}</h1>
        <p className="mt-2 text-sm text-red-700">{detail}</p>
      </div>
    </AppShell>
  );
}
