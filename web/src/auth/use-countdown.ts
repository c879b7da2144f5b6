// A per-second countdown to a deadline, for "resend in 42 s" after a code was sent.
import { useCallback, useEffect, useState } from 'react';

/**
 * `initialEndsAt` (ms since the epoch) resumes a countdown that ran before this component was shown, such as the
 * wait for a new step-up code after a blocked one; it is read on the first render only.
 */
export function useCountdown(initialEndsAt = 0): { secondsLeft: number; endsAt: number; start: (seconds: number) => void } {
  const [deadline, setDeadline] = useState(initialEndsAt);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (deadline <= now) return;
    const timer = window.setTimeout(() => setNow(Date.now()), Math.min(1000, deadline - now));
    return () => window.clearTimeout(timer);
  }, [deadline, now]);

  const start = useCallback((seconds: number) => {
    const at = Date.now();
    setNow(at);
    setDeadline(at + Math.max(0, seconds) * 1000);
  }, []);

  return { secondsLeft: Math.max(0, Math.ceil((deadline - now) / 1000)), endsAt: deadline, start };
}
