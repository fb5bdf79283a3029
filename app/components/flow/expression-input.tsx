// A text field of the side panel that takes `{{ }}` expressions, with the YAML editor's
// completion: inside `{{` a list of what may follow (trigger.*, earlier steps' results,
// vars.*, secrets.*) opens under the field; arrow keys move, Enter or Tab picks, Escape
// closes, a click picks. The list is a listbox tied to the field (aria-activedescendant).
import { type KeyboardEvent, useId, useLayoutEffect, useRef, useState } from 'react';
import type { ExpressionOption } from '../../editor/expression-completion';
import { type FieldCompletionContext, fieldCompletion } from '../../flow/field-completion';

export interface ExpressionInputProps {
  id: string;
  value: string;
  multiline: boolean;
  rows?: number;
  className: string;
  placeholder?: string;
  /** Names to complete; null: a field without expressions (no list). */
  completion: FieldCompletionContext | null;
  onChange(text: string): void;
  onBlur?(): void;
}

type Open = { from: number; to: number; options: ExpressionOption[]; active: number };

export function ExpressionInput({
  id,
  value,
  multiline,
  rows,
  className,
  placeholder,
  completion,
  onChange,
  onBlur,
}: ExpressionInputProps) {
  const listId = useId();
  const field = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const [open, setOpen] = useState<Open | null>(null);
  // Where the caret goes once the picked completion is in the field. Placed as soon as
  // React has put the new text in (before the browser takes the next key), not a frame
  // later: a key typed in between would land after the caret jumped back.
  const caret = useRef<{ text: string; at: number } | null>(null);
  useLayoutEffect(() => {
    if (!caret.current || caret.current.text !== value) return;
    const { at } = caret.current;
    caret.current = null;
    field.current?.focus();
    field.current?.setSelectionRange(at, at);
  });

  const refresh = (text: string, cursor: number) => {
    const found = completion ? fieldCompletion(text, cursor, completion) : null;
    setOpen(found && found.options.length > 0 ? { from: found.from, to: cursor, options: found.options, active: 0 } : null);
  };
  const pick = (option: ExpressionOption) => {
    if (!open) return;
    const next = value.slice(0, open.from) + option.label + value.slice(open.to);
    caret.current = { text: next, at: open.from + option.label.length };
    onChange(next);
    setOpen(null);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (!open) return;
    const move = (by: number) => setOpen({ ...open, active: (open.active + by + open.options.length) % open.options.length });
    if (event.key === 'ArrowDown') move(1);
    else if (event.key === 'ArrowUp') move(-1);
    else if (event.key === 'Enter' || event.key === 'Tab') pick(open.options[open.active]!);
    else if (event.key === 'Escape') setOpen(null);
    else return;
    event.preventDefault();
  };

  const props = {
    id,
    ref: field,
    value,
    spellCheck: false,
    className,
    placeholder,
    role: 'combobox',
    'aria-autocomplete': 'list' as const,
    'aria-expanded': open !== null,
    'aria-controls': listId,
    ...(open ? { 'aria-activedescendant': `${listId}-${open.active}` } : {}),
    onChange: (event: { target: { value: string; selectionStart: number | null } }) => {
      onChange(event.target.value);
      refresh(event.target.value, event.target.selectionStart ?? event.target.value.length);
    },
    onKeyDown,
    onBlur: () => {
      setOpen(null);
      onBlur?.();
    },
  };
  return (
    <div className="relative">
      {multiline ? <textarea {...props} rows={rows ?? 4} /> : <input type="text" {...props} />}
      {open ? (
        <div
          id={listId}
          role="listbox"
          aria-label="Expression completions"
          className="absolute left-0 right-0 z-20 mt-1 max-h-48 overflow-y-auto rounded border border-slate-300 bg-white text-xs shadow-lg"
        >
          {open.options.map((option, index) => (
            <div
              key={option.label}
              id={`${listId}-${index}`}
              tabIndex={-1}
              role="option"
              aria-selected={index === open.active}
              className={`flex cursor-pointer gap-2 px-2 py-1 ${index === open.active ? 'bg-sky-100' : ''}`}
              // mousedown, not click: a click would blur the field first and close the list.
              onMouseDown={(event) => {
                event.preventDefault();
                pick(option);
              }}
            >
              <span className="font-mono">{option.label}</span>
              {option.detail ? <span className="ml-auto text-slate-500">{option.detail}</span> : null}
            </div>
          ))}
        </div>
      ) : null}
    </div>
  );
}
