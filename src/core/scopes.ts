// Scopes such as `sites:read`: resource and action.

export const SCOPE_PATTERN = /^[a-z][a-z0-9_-]*:[a-z][a-z0-9_-]*$/;

/** The first scope of `required` that `granted` lacks, or `undefined` when all are granted. */
export function missingScope(granted: readonly string[], required: readonly string[]): string | undefined {
  return required.find((scope) => !granted.includes(scope));
}
