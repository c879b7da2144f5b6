// The step-up code this session saw blocked, kept while the person stays signed in: the step-up panel that saw the
// block closes with its dialog, and the next one must still know that the code "already sent" cannot be used.
// In memory only: a reload forgets it, as it forgets the countdown it comes with.
import { createContext, type ReactNode, useContext, useMemo, useState } from 'react';
import type { StepUpLock } from '../auth/step-up-lock.js';

export interface StepUpLockMemory {
  /** The last step-up code's block, until a new code is sent or a step-up succeeds; null when there is none. */
  lock: StepUpLock | null;
  remember: (lock: StepUpLock) => void;
  forget: () => void;
}

const StepUpLockContext = createContext<StepUpLockMemory | null>(null);

/** Rendered inside the signed-in session only, so signing out (a new session, new codes) forgets the block. */
export function StepUpLockProvider({ children }: { children: ReactNode }) {
  const [lock, setLock] = useState<StepUpLock | null>(null);
  const memory = useMemo<StepUpLockMemory>(() => ({ lock, remember: setLock, forget: () => setLock(null) }), [lock]);
  return <StepUpLockContext.Provider value={memory}>{children}</StepUpLockContext.Provider>;
}

export function useStepUpLock(): StepUpLockMemory {
  const memory = useContext(StepUpLockContext);
  if (memory === null) throw new Error('useStepUpLock outside a signed-in session');
  return memory;
}
