// "New workflow": start blank, from one of the spec's example workflows, or from a
// starter for a trigger type (server/workflows/starters.ts reads them from examples/).
import { Link } from 'react-router';

export interface StarterCard {
  id: string;
  title: string;
  description: string;
  kind: 'example' | 'trigger';
}

function Card({ to, title, description, current }: { to: string; title: string; description: string; current: boolean }) {
  return (
    <li>
      <Link
        to={to}
        aria-current={current ? 'true' : undefined}
        className={`block h-full rounded-md border p-3 hover:border-brand-600 ${current ? 'border-brand-600 bg-slate-50' : 'border-slate-200 bg-white'}`}
      >
        <span className="block text-sm font-medium">{title}</span>
        <span className="mt-1 block text-xs text-slate-500">{description}</span>
      </Link>
    </li>
  );
}

export function TemplateGallery({ starters, chosen }: { starters: StarterCard[]; chosen: string }) {
  const group = (kind: StarterCard['kind']) =>
    starters
      .filter((s) => s.kind === kind)
      .map((s) => <Card key={s.id} to={`?template=${s.id}`} title={s.title} description={s.description} current={chosen === s.id} />);
  return (
    <section aria-label="Templates" className="mt-4">
      <h2 className="text-sm font-semibold">Start from</h2>
      <ul className="mt-2 grid gap-2 sm:grid-cols-2 lg:grid-cols-4">
        <Card to="?template=blank" title="Blank" description="A manual trigger and one step." current={chosen === 'blank'} />
        {group('example')}
      </ul>
      <h3 className="mt-3 text-xs font-semibold uppercase text-slate-500">One per trigger type</h3>
      <ul className="mt-2 grid gap-2 sm:grid-cols-3 lg:grid-cols-6">{group('trigger')}</ul>
    </section>
  );
}
