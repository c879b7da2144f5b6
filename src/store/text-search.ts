// "Contains this text, in any case" in SQL that both stores answer alike.
// SQLite's LIKE ignores the case of A–Z only, PostgreSQL's ILIKE that of every letter its locale knows: so both
// compare with A–Z folded and nothing else (PostgreSQL folds the column with translate, SQLite's LIKE does it).
import { type Expression, type Kysely, PostgresAdapter, type SqlBool, sql } from 'kysely';
import type { Database } from './schema.js';

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';

/** `text` as a LIKE pattern matching any value that contains it: its wildcards (and the escape) escaped. */
function containsPattern(text: string): string {
  const folded = text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
  return `%${folded.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * True where `column` contains `text`, A–Z in any case, every other character as it is.
 *
 * @example
 * query.where(containsText(db, 'name', 'Billing')); // names "billing-prod", "Old BILLING key"
 */
export function containsText(db: Kysely<Database>, column: string, text: string): Expression<SqlBool> {
  const pattern = containsPattern(text);
  return db.getExecutor().adapter instanceof PostgresAdapter
    ? sql<SqlBool>`translate(${sql.ref(column)}, ${UPPER}, ${LOWER}) like ${pattern} escape '\\'`
    : sql<SqlBool>`${sql.ref(column)} like ${pattern} escape '\\'`;
}
