// Reads keys one by one by id, for the keys a page of rows names that the (possibly incomplete) key list lacks.

/** At most this many keys are read by id for one page of rows: a page holds 50 rows. */
export const MAX_KEYS_BY_ID = 50;
/** At most this many of those reads run at once. */
export const KEYS_BY_ID_CONCURRENCY = 5;

/**
 * The ids among `ids` that are neither in `known` nor in `tried` (already read, or failed), each once, in order,
 * at most `limit` of them; empty values are skipped.
 *
 * @example
 * keyIdsToRead(['key_1', 'key_2', null, 'key_2'], new Map([['key_1', key]]), new Map()); // ['key_2']
 */
export function keyIdsToRead(
  ids: Iterable<string | null | undefined>,
  known: ReadonlyMap<string, unknown>,
  tried: ReadonlyMap<string, unknown>,
  limit = MAX_KEYS_BY_ID,
): string[] {
  const wanted = new Set<string>();
  for (const id of ids) {
    if (wanted.size >= limit) break;
    if (id && !known.has(id) && !tried.has(id)) wanted.add(id);
  }
  return [...wanted];
}

/**
 * Reads each id with `readOne`, at most `concurrency` at a time; an id whose read failed (a 404 among others) maps
 * to null, so that it is not read again and shows as its id.
 */
export async function readEach<T>(ids: readonly string[], readOne: (id: string) => Promise<T>, concurrency = KEYS_BY_ID_CONCURRENCY): Promise<Map<string, T | null>> {
  const answers = new Map<string, T | null>();
  let next = 0;
  async function worker() {
    for (let id = ids[next++]; id !== undefined; id = ids[next++]) {
      try {
        answers.set(id, await readOne(id));
      } catch {
        answers.set(id, null);
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker));
  return answers;
}
