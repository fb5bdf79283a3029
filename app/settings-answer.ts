// Runs a settings change for a console form: the service's own 400/404 answers become
// the form's error message (with their status), anything else stays a server error.
import { data } from 'react-router';
import { HttpError } from '../server/core/http-error.js';

export type Answer = { error: string | null; done: string | null; [extra: string]: unknown };

export async function answer(change: () => Promise<Answer>) {
  try {
    return await change();
  } catch (err) {
    if (err instanceof HttpError) return data<Answer>({ error: err.message, done: null }, { status: err.status });
    throw err;
  }
}

/** A form field as text ('' when missing). */
export const fieldOf = (form: FormData) => (name: string) => String(form.get(name) ?? '');
