// Reads keys one by one by id, for the keys a page of rows names that the (possibly incomplete) key list lacks.

/** At most this many keys are read by id for one page of rows: a page holds 50 rows. */
export const MAX_KEYS_BY_ID = 50;
/** At most this many of those reads run at once. */
export const KEYS_BY_ID_CONCURRENCY = 5;

/**
 * The ids among `ids` that are neither in `known` nor in `tried` (already read, or failed for now), each once, in
 * order, at most `limit` of them; empty values are skipped.
 *
 * @example
 * keyIdsToRead(['key_1', 'key_2', null, 'key_2'], new Map([['key_1', key]]), new Map()); // ['key_2']
 */
export function keyIdsToRead(
  ids: Iterable<string | null | undefined>,
  known: ReadonlyMap<string, unknown>,
  tried: { has(id: string): boolean },
  limit = MAX_KEYS_BY_ID,
): string[] {
  const wanted = new Set<string>();
  for (const id of ids) {
    if (wanted.size >= limit) break;
    if (id && !known.has(id) && !tried.has(id)) wanted.add(id);
  }
  return [...wanted];
}

/** What `readEach` got: the answers by id, and the ids whose read failed (to try again later). */
export interface ReadAnswers<T> {
  answers: Map<string, T>;
  failed: string[];
}

/**
 * Reads each id with `readOne`, at most `concurrency` at a time. A read that throws (an outage, say) leaves its id
 * in `failed`; `readOne` answers for good what it can (null for a key that is not there).
 */
export async function readEach<T>(ids: readonly string[], readOne: (id: string) => Promise<T>, concurrency = KEYS_BY_ID_CONCURRENCY): Promise<ReadAnswers<T>> {
  const answers = new Map<string, T>();
  const failed: string[] = [];
  let next = 0;
  async function worker() {
    for (let id = ids[next++]; id !== undefined; id = ids[next++]) {
      try {
        answers.set(id, await readOne(id));
      } catch {
        failed.push(id);
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker));
  return { answers, failed };
}
