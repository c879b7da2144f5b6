// What a key form shows beyond its fields' own checks: the server's refusal, placed on the fields it names, and the
// focus moved to the first field marked invalid after each stopped submit.
import { useEffect, useRef, useState } from 'react';
import { focusFirstInvalid } from '../components/focus-first-invalid.js';
import { type DraftProblems, hasProblems, type KeyDraft } from './key-draft.js';
import { placeServerProblems, withoutEdited } from './server-problems.js';

/**
 * @example
 * const problems = useKeyFormProblems(draft);
 * <form ref={problems.form}>…<KeySettingsFields problems={{ ...problems.fromServer, ...own }} /><ErrorAlert error={problems.error} />
 */
export function useKeyFormProblems(draft: KeyDraft) {
  const form = useRef<HTMLFormElement>(null);
  const [error, setError] = useState<unknown>(null);
  // The fields of the last answer's `400 invalid_request`, each until it is edited.
  const [fromServer, setFromServer] = useState<DraftProblems>({});
  // Counts submits stopped by the fields' own checks or the server's; each moves the focus to the first field marked invalid.
  const [stoppedSubmits, setStoppedSubmits] = useState(0);
  useEffect(() => {
    if (stoppedSubmits > 0) focusFirstInvalid(form.current);
  }, [stoppedSubmits]);
  return {
    form,
    error,
    fromServer,
    /** A new attempt: the last one's server answer no longer applies, whatever the fields now say. */
    startAttempt(): void {
      setError(null);
      setFromServer({});
    },
    /** The fields' own checks stopped the submit. */
    stopped(): void {
      setStoppedSubmits((n) => n + 1);
    },
    /** A refusal naming fields is shown on them, as the form's own checks are; the rest stays the form's error. */
    showError(cause: unknown): void {
      const placed = placeServerProblems(cause, draft);
      setFromServer(placed.problems);
      setError(placed.formError);
      if (hasProblems(placed.problems)) setStoppedSubmits((n) => n + 1);
    },
    /** Once a field is edited, the server's word on it no longer applies. */
    edited(patch: Partial<KeyDraft>): void {
      setFromServer((problems) => withoutEdited(problems, patch));
    },
  };
}
