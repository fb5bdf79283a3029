import { useEffect } from 'react';
import { isRouteErrorResponse, Links, Meta, Outlet, Scripts, ScrollRestoration } from 'react-router';
import type { Route } from './+types/root';
import { AppShell } from './components/app-shell';
import { useNonce } from './nonce';
import './app.css';

export const meta: Route.MetaFunction = () => [{ title: 'KhaosFlow' }];

export const links: Route.LinksFunction = () => [{ rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' }];

export function Layout({ children }: { children: React.ReactNode }) {
  const nonce = useNonce();
  // Marks the page (also an error page) as interactive: until React has hydrated, a click on a <Form> button is a
  // plain browser POST. Browser tests wait for this mark before they type and click.
  useEffect(() => {
    document.documentElement.dataset.hydrated = 'true';
  }, []);
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        {/* An empty nonce on both sides: stylesheets come from this origin (style-src 'self').
            Without it React Router puts the response's nonce here on the server only, and the
            page hydrates differently depending on whether the browser has hidden it yet. */}
        <Links nonce="" />
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

// A response thrown with `data(..., { status })` reaches the page without its status
// text (a refused viewer saw "403 Internal Server Error"): name the ones the console throws.
const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Unprocessable Content',
};

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const title = isRouteErrorResponse(error) ? `${error.status} ${STATUS_TEXT[error.status] ?? error.statusText}` : 'Something went wrong';
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
