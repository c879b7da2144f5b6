// Runs an action that may answer `403 step_up_required`: shows the step-up panel, then retries the action by itself.
import { type ReactNode, useState } from 'react';
import { ApiError } from '../api/api-error.js';
import { StepUpPanel } from './step-up-panel.js';

type Action = () => Promise<void>;

export function isStepUpRequired(error: unknown): boolean {
  return error instanceof ApiError && error.status === 403 && error.code === 'step_up_required';
}

export interface StepUp {
  /** Runs the action; any other error goes to `onError`. */
  run: (action: Action) => Promise<void>;
  /** The panel to render while a step-up is needed, else null. */
  panel: ReactNode;
  waiting: boolean;
}

export function useStepUp(onError: (error: unknown) => void): StepUp {
  const [pending, setPending] = useState<Action | null>(null);

  async function run(action: Action): Promise<void> {
    try {
      await action();
    } catch (error) {
      if (isStepUpRequired(error)) setPending(() => action);
      else onError(error);
    }
  }

  const panel = pending && (
    <StepUpPanel
      onVerified={async () => {
        setPending(null);
        await run(pending);
      }}
      onCancel={() => setPending(null)}
    />
  );
  return { run, panel, waiting: pending !== null };
}
