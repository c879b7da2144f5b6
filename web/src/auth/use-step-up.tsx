// Runs an action that may answer `403 step_up_required`: shows the step-up panel, then retries the action by itself.
import { type ReactNode, useRef, useState } from 'react';
import { ApiError } from '../api/api-error.js';
import { StepUpPanel } from './step-up-panel.js';

type Action = () => Promise<void>;

export function isStepUpRequired(error: unknown): boolean {
  return error instanceof ApiError && error.status === 403 && error.code === 'step_up_required';
}

export interface StepUp {
  /** Runs the action; any other error goes to `onError`. A call while the action is already running does nothing. */
  run: (action: Action) => Promise<void>;
  /** The panel to render while a step-up is needed, else null. */
  panel: ReactNode;
  /** The action is running: the first time, or retried after the step-up. Its button stays disabled until it settles. */
  busy: boolean;
  /** The step-up panel is shown and the action waits for it. */
  waiting: boolean;
}

/**
 * Wraps a dialog's action (create, regenerate, rotate) so a step-up answer shows the panel and a verified
 * step-up retries the action. `busy` covers the retry too: an action issued twice would make a second key
 * whose secret nobody sees.
 *
 * @example
 * const stepUp = useStepUp(setError);
 * <button disabled={stepUp.busy || stepUp.waiting} onClick={() => stepUp.run(async () => onDone(await api.keys.regenerate(t, id)))}>
 */
export function useStepUp(onError: (error: unknown) => void): StepUp {
  const [pending, setPending] = useState<Action | null>(null);
  const [busy, setBusy] = useState(false);
  // The state above reaches the button only at the next render; this guards the clicks in between.
  const running = useRef(false);

  async function run(action: Action): Promise<void> {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    try {
      await action();
    } catch (error) {
      if (isStepUpRequired(error)) setPending(() => action);
      else onError(error);
    } finally {
      running.current = false;
      setBusy(false);
    }
  }

  const panel = pending && (
    <StepUpPanel
      onVerified={async () => {
        // In one render with `busy` turning true, so the action's button never looks ready in between.
        setPending(null);
        await run(pending);
      }}
      onCancel={() => setPending(null)}
    />
  );
  return { run, panel, busy, waiting: pending !== null };
}
