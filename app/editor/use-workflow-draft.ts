// The text being edited on a workflow page: one string for the canvas and the YAML editor,
// reset when the server has a new saved text (save, rollback, another template), with the
// unsaved-changes guard and keyboard save. A save, rollback or delete may navigate (to the
// new workflow, or away): the guard never asks then.
import { useEffect, useRef, useState } from 'react';
import { useNavigation, useSubmit } from 'react-router';
import { useUnsavedGuard } from './use-unsaved-guard';

export interface WorkflowDraft {
  text: string;
  setText(text: string): void;
  /** The newest text, for callbacks made once (the test panel, CodeMirror's keymap). */
  current(): string;
  dirty: boolean;
  /** Submits the text as a new version (Ctrl/Cmd-S). */
  save(): void;
  /** Marks a form submission of ours, so its navigation does not ask. */
  submitting(): void;
}

export function useWorkflowDraft(savedText: string, actionData: unknown, editable: boolean): WorkflowDraft {
  const navigation = useNavigation();
  const submit = useSubmit();
  const [text, setText] = useState(savedText);
  const textRef = useRef(text);
  textRef.current = text;
  // Set on submit, cleared when the page has the saved text or the save was refused.
  const submitting = useRef(false);
  const inFlight = useRef(false);
  inFlight.current = navigation.state !== 'idle';

  useEffect(() => {
    setText(savedText);
    submitting.current = false;
  }, [savedText]);
  // A refused save (422) stays on the page: leaving asks again.
  useEffect(() => {
    if (actionData) submitting.current = false;
  }, [actionData]);
  const dirty = editable && text !== savedText;
  useUnsavedGuard(dirty, () => submitting.current || inFlight.current);

  return {
    text,
    setText,
    current: () => textRef.current,
    dirty,
    save: () => {
      if (!editable) return;
      submitting.current = true;
      submit({ intent: 'save', yaml: textRef.current }, { method: 'post' });
    },
    submitting: () => {
      submitting.current = true;
    },
  };
}
