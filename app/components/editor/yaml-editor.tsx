// The workflow YAML editor (CodeMirror 6): the server's validator as lint while typing,
// completion from the workflow JSON Schema and of {{ }} names, Ctrl/Cmd-S to save.
// Loaded in the browser only (yaml-editor-lazy.tsx): CodeMirror measures the page, and
// its <style> elements carry the page's CSP nonce (page-nonce.ts).
import { autocompletion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { yaml } from '@codemirror/lang-yaml';
import { linter, lintGutter } from '@codemirror/lint';
import { Prec } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import CodeMirror from '@uiw/react-codemirror';
import { useMemo, useRef } from 'react';
import { type Problem, problemMarks } from '../../editor/diagnostics';
import { type ExpressionNames, expressionOptions } from '../../editor/expression-completion';
import { pageNonce } from '../../editor/page-nonce';
import { schemaOptions } from '../../editor/schema-completion';
import { yamlCursor } from '../../editor/yaml-context';

export interface YamlEditorProps {
  value: string;
  onChange(text: string): void;
  /** Ctrl/Cmd-S. */
  onSave(): void;
  /** Asks the server's validator; the answer becomes the editor's lint. */
  validate(text: string): Promise<Problem[]>;
  /** The workflow JSON Schema. */
  schema: Record<string, unknown>;
  names: ExpressionNames;
  label: string;
  /** Shown, not changed (a viewer's page). */
  readOnly?: boolean;
}

/** Waits this long after the last key before asking the validator. */
const VALIDATE_DELAY_MS = 400;

export function YamlEditor({ value, onChange, onSave, validate, schema, names, label, readOnly = false }: YamlEditorProps) {
  // The extensions are made once; these refs let them call the latest props.
  const latest = useRef({ onSave, validate, schema, names });
  latest.current = { onSave, validate, schema, names };

  const extensions = useMemo(
    () => [
      yaml(),
      EditorView.cspNonce.of(pageNonce()),
      EditorView.contentAttributes.of({ 'aria-label': label }),
      Prec.highest(
        keymap.of([
          {
            key: 'Mod-s',
            preventDefault: true,
            run: () => {
              latest.current.onSave();
              return true;
            },
          },
        ]),
      ),
      linter(async (view) => problemMarks(view.state.doc, await latest.current.validate(view.state.doc.toString())), {
        delay: VALIDATE_DELAY_MS,
      }),
      lintGutter(),
      autocompletion({ override: [complete(latest)] }),
    ],
    [label],
  );

  return (
    <CodeMirror
      value={value}
      onChange={onChange}
      extensions={extensions}
      readOnly={readOnly}
      editable={!readOnly}
      minHeight="24rem"
      maxHeight="70vh"
      basicSetup={{ autocompletion: false }}
      className="overflow-hidden rounded-md border border-slate-300 text-xs"
    />
  );
}

type Latest = { current: { schema: Record<string, unknown>; names: ExpressionNames } };

function complete(latest: Latest) {
  return (context: CompletionContext): CompletionResult | null => {
    const doc = context.state.doc.toString();
    const inTemplate = expressionOptions(doc, context.pos, latest.current.names);
    if (inTemplate) {
      if (inTemplate.options.length === 0) return null;
      return { from: inTemplate.from, options: inTemplate.options.map((o) => ({ ...o, type: 'variable' })), validFor: /^\w*$/ };
    }
    const cursor = yamlCursor(doc, context.pos);
    if (!cursor || (!context.explicit && cursor.word === '' && cursor.key === null)) return null;
    const options = schemaOptions(latest.current.schema, cursor);
    if (options.length === 0) return null;
    return {
      from: cursor.from,
      options: options.map((o) => ({
        label: o.label,
        apply: o.apply,
        type: o.kind === 'property' ? 'property' : 'enum',
        ...(o.info ? { info: o.info } : {}),
      })),
      validFor: /^[\w-]*$/,
    };
  };
}
