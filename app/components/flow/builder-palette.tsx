// The palette: every trigger type, condition and loop, every action type (plugins in a
// group of their own) and the templates. Drag an item onto the canvas; or click it to add
// it after the selected step (or at the end), for keyboards.
import { type DragEvent, useState } from 'react';
import { DRAG_TYPE, type DragPayload } from '../../flow/drop';
import type { PaletteItem } from '../../flow/palette';
import { badgeOf } from './flow-node';

const groups: PaletteItem['group'][] = ['Triggers', 'Logic', 'Templates', 'Actions', 'Plugin actions'];

export function BuilderPalette({ items, onAdd }: { items: PaletteItem[]; onAdd(payload: DragPayload): void }) {
  const [filter, setFilter] = useState('');
  const shown = items.filter((item) => `${item.label} ${item.type}`.toLowerCase().includes(filter.trim().toLowerCase()));
  const onDragStart = (event: DragEvent, item: PaletteItem) => {
    event.dataTransfer.setData(DRAG_TYPE, JSON.stringify(item.payload));
    event.dataTransfer.effectAllowed = 'copy';
  };
  return (
    <nav aria-label="Palette" className="flex h-full flex-col overflow-hidden rounded-lg border border-slate-200 bg-white text-sm">
      <input
        type="search"
        value={filter}
        onChange={(event) => setFilter(event.target.value)}
        placeholder="Find a trigger or action"
        aria-label="Find in the palette"
        className="m-2 rounded border border-slate-300 px-2 py-1 text-xs"
      />
      <div className="flex-1 overflow-y-auto px-2 pb-2">
        {groups.map((group) => {
          const members = shown.filter((item) => item.group === group);
          if (members.length === 0) return null;
          return (
            <section key={group} aria-label={group} className="mb-2">
              <h3 className="mb-1 text-[11px] font-semibold uppercase tracking-wide text-slate-500">{group}</h3>
              <ul className="flex flex-col gap-1">
                {members.map((item) => (
                  <li key={item.id}>
                    <button
                      type="button"
                      draggable
                      onDragStart={(event) => onDragStart(event, item)}
                      onClick={() => onAdd(item.payload)}
                      data-palette-item={item.id}
                      title={`Drag onto the canvas, or click to add (${item.type})`}
                      className="flex w-full cursor-grab items-center gap-2 rounded border border-slate-200 px-2 py-1 text-left hover:border-sky-400 hover:bg-sky-50"
                    >
                      <span aria-hidden="true" className="rounded bg-slate-800 px-1 font-mono text-[9px] font-bold text-white">
                        {badgeOf(item.type)}
                      </span>
                      <span className="truncate">{item.label}</span>
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          );
        })}
      </div>
    </nav>
  );
}
