// After a submit that the form's own checks stopped, focus moves to the first field marked invalid.

/**
 * Focuses the first control in `form` with `aria-invalid="true"` (document order), and says whether there was one.
 * Call it after the render that marked the fields, e.g. from an effect.
 *
 * @example
 * useEffect(() => { if (invalidSubmits > 0) focusFirstInvalid(form.current); }, [invalidSubmits]);
 */
export function focusFirstInvalid(form: HTMLElement | null): boolean {
  const field = form?.querySelector<HTMLElement>('[aria-invalid="true"]');
  field?.focus();
  return field !== null && field !== undefined;
}
