// In the test panel: catch one real request from the sender and use its body as the
// sample data (n8n's "Listen for test event", Zapier's "Test trigger"), or choose one
// caught earlier (webhook triggers); or take the newest matching row of the table
// (database triggers) or message of the mailbox (email triggers). The server says which
// trigger each is for: the editor's text is read on demand, so the panel does not know
// the draft's trigger type as it changes.
import { useState } from 'react';
import { mailboxSample, type TestEvent, tableSample } from '../../editor/api';
import { useTestEvent } from '../../editor/use-test-event';
import { when } from '../../format';
import { INPUT } from '../notice';

export function TestEventListener({
  captureKey,
  text,
  onSample,
}: {
  /** The workflow's slug (a new workflow's page uses a key of its own). */
  captureKey: string;
  text: () => string;
  onSample(data: unknown): void;
}) {
  const use = (event: TestEvent) => onSample(event.trigger.data);
  const { capture, events, problem, listen, cancel } = useTestEvent(captureKey, use);
  const origin = typeof window === 'undefined' ? '' : window.location.origin;
  const [sampleProblem, setSampleProblem] = useState<string | null>(null);
  const fromSource = async (read: typeof tableSample, none: string) => {
    try {
      const sample = await read(captureKey, text());
      setSampleProblem(sample ? null : none);
      if (sample) onSample(sample.data);
    } catch (err) {
      setSampleProblem((err as Error).message);
    }
  };

  return (
    <fieldset aria-label="Test event" className="mt-3 rounded-md border border-dashed border-slate-300 p-2 text-xs">
      {capture ? (
        <div role="status" aria-label="Listening" className="flex flex-col gap-1">
          <span>
            Waiting for a test event until {when(capture.listening_until)}. Send a {capture.method} request, authenticated like the real
            hook, to:
          </span>
          <code className="break-all rounded bg-slate-100 px-1 py-0.5">{`${origin}${capture.test_url}`}</code>
          <button type="button" onClick={cancel} className="self-start text-brand-600 underline">
            Cancel
          </button>
        </div>
      ) : (
        <div className="flex flex-wrap gap-x-3 gap-y-1">
          <button type="button" onClick={() => void listen(text())} className="text-brand-600 underline">
            Listen for a test event
          </button>
          <button
            type="button"
            onClick={() => void fromSource(tableSample, "No row of the table matches the trigger's filter yet.")}
            className="text-brand-600 underline"
          >
            Sample from the table
          </button>
          <button
            type="button"
            onClick={() => void fromSource(mailboxSample, "No message in the mailbox matches the trigger's filter yet.")}
            className="text-brand-600 underline"
          >
            Sample from the mailbox
          </button>
        </div>
      )}
      {problem || sampleProblem ? (
        <p role="alert" className="mt-1 text-red-700">
          {problem ?? sampleProblem}
        </p>
      ) : null}
      {events.length > 0 ? (
        <label className="mt-2 block font-medium">
          Captured test events
          <select
            className={`${INPUT} mt-1 block w-full`}
            value=""
            onChange={(e) => {
              const chosen = events.find((ev) => ev.id === e.target.value);
              if (chosen) use(chosen);
            }}
          >
            <option value="">Choose one…</option>
            {events.map((ev) => (
              <option key={ev.id} value={ev.id}>
                {ev.trigger.method} {ev.trigger.path} · {when(ev.received_at)}
              </option>
            ))}
          </select>
        </label>
      ) : null}
    </fieldset>
  );
}
