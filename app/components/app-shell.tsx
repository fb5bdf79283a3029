import { Form, NavLink } from 'react-router';

const nav = [
  { to: '/', label: 'Workflows', end: true },
  { to: '/runs', label: 'Runs', end: false },
  { to: '/secrets', label: 'Secrets', end: false },
  { to: '/connections', label: 'Connections', end: false },
  { to: '/variables', label: 'Variables', end: false },
  { to: '/templates', label: 'Email templates', end: false },
  { to: '/import', label: 'Import', end: false },
  { to: '/api-docs', label: 'API docs', end: false },
];
// Pages a role below admin would only be refused.
const adminNav = [{ to: '/keys', label: 'API keys', end: false }];

export interface ShellUser {
  email: string;
  name: string;
  role: string;
}

export function AppShell({ children, user }: { children: React.ReactNode; user?: ShellUser }) {
  return (
    <div className="flex min-h-screen flex-col md:flex-row">
      {/* Phone width: the menu sits on top and wraps; from md up it is a sidebar. */}
      <aside className="shrink-0 border-b border-slate-200 bg-white md:w-56 md:border-r md:border-b-0">
        <div className="px-5 py-4 text-lg font-bold tracking-tight text-brand-600">KhaosFlow</div>
        <nav aria-label="Main" className="flex flex-row flex-wrap gap-1 px-3 md:flex-col">
          {[
            ...nav,
            ...(user?.role === 'admin' || user?.role === 'owner' ? adminNav : []),
            ...(user?.role === 'owner' ? [{ to: '/users', label: 'Users', end: false }] : []),
          ].map((item) => (
            <NavLink
              key={item.to}
              to={item.to}
              end={item.end}
              className={({ isActive }) =>
                `rounded-md px-3 py-2 text-sm font-medium ${isActive ? 'bg-slate-100 text-slate-900' : 'text-slate-600 hover:bg-slate-50'}`
              }
            >
              {item.label}
            </NavLink>
          ))}
        </nav>
        {user ? (
          <div className="border-t border-slate-100 px-5 py-4 text-sm md:mt-8">
            <NavLink to="/account" className="block truncate font-medium hover:underline" title={user.email}>
              {user.name || user.email}
            </NavLink>
            <div className="text-xs text-slate-500">{user.role}</div>
            <Form method="post" action="/logout" className="mt-2">
              <button type="submit" className="text-sm text-slate-600 underline hover:text-slate-900">
                Log out
              </button>
            </Form>
          </div>
        ) : null}
      </aside>
      <main className="min-w-0 flex-1 p-4 md:p-8">{children}</main>
    </div>
  );
}
