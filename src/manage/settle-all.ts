// Runs the follow-ups of a change already stored, each to its end whatever the others do.

/**
 * Awaits every promise, then throws the first failure, if any. For what follows a stored change (telling the
 * caches, auditing it): one failing must not cost the other, since the change itself cannot be undone.
 * @example
 * await settleAll([notifier.keyChanged(key), audit.record(ctx, key.tenantId, 'key.revoked', target)]);
 */
export async function settleAll(work: readonly Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(work);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
