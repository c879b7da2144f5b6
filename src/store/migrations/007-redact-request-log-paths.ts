// Frozen in time: takes Kysely<any> and imports nothing from the app.
// Request-log paths stored before redaction covered three more shapes of a secret are redacted in place: a key
// behind percent-escapes (`lk%5Flive%5F…`, one decode away), a key whose prefix or tag a client changed
// (`LK_LIVE_…`), and a root token (`lkr_` and 43 characters). The rules are those of src/core/redaction.ts on the
// day of this migration, copied so that this file never changes.
import type { Expression, ExpressionBuilder, Kysely } from 'kysely';

const KEY_BODY_ANYWHERE = /(live|test|dev)_[0-9A-Za-z]{38}/gi;
const ENV_TAG = /(?:live|test|dev)_/i;
const ROOT_TOKEN_ANYWHERE = /lkr_[0-9A-Za-z]{43}/g;
const ESCAPED_RUN = /[^/?#&=;,\s]*%[^/?#&=;,\s]*/g;
const PERCENT_ESCAPE = /%([0-9A-Fa-f]{2})/g;
/** Rows read and rewritten at a time, in id order. */
const PAGE = 1000;

function unescapeAscii(text: string): string {
  let current = text;
  for (let i = 0; i < 3 && current.includes('%'); i++) {
    const next = current.replace(PERCENT_ESCAPE, (escape, hex: string) => {
      const code = Number.parseInt(hex, 16);
      return code < 0x80 ? String.fromCharCode(code) : escape;
    });
    if (next === current) break;
    current = next;
  }
  return current;
}

function holdsSecret(text: string): boolean {
  return (ENV_TAG.test(text) && text.search(KEY_BODY_ANYWHERE) !== -1) || text.search(ROOT_TOKEN_ANYWHERE) !== -1;
}

function redact(text: string): string {
  const plain = text.includes('%') ? text.replace(ESCAPED_RUN, (run) => (holdsSecret(unescapeAscii(run)) ? unescapeAscii(run) : run)) : text;
  return plain.replace(KEY_BODY_ANYWHERE, '$1_[redacted]').replace(ROOT_TOKEN_ANYWHERE, 'lkr_[redacted]');
}

/**
 * Paths that could hold one of the new shapes: an escape, a tag in any case, or a root token. `replace` (in both
 * SQLite and PostgreSQL) tells whether a text holds a piece, with no LIKE pattern whose `%` and `_` need escaping.
 */
function mayHoldSecret(eb: ExpressionBuilder<any, 'request_logs'>) {
  const path = eb.ref('path') as Expression<string>;
  const lower = eb.fn<string>('lower', [path]);
  const holds = (text: Expression<string>, piece: string) => eb(eb.fn('replace', [text, eb.val(piece), eb.val('')]), '!=', text);
  return eb.or([holds(path, '%'), holds(lower, 'live_'), holds(lower, 'test_'), holds(lower, 'dev_'), holds(path, 'lkr_')]);
}

export async function up(db: Kysely<any>): Promise<void> {
  let after = '';
  for (;;) {
    const rows: { id: string; path: string }[] = await db.selectFrom('request_logs').select(['id', 'path'])
      .where('id', '>', after).where(mayHoldSecret).orderBy('id').limit(PAGE).execute();
    for (const row of rows) {
      const redacted = redact(row.path);
      if (redacted !== row.path) await db.updateTable('request_logs').set({ path: redacted }).where('id', '=', row.id).execute();
    }
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1]!.id;
  }
}

export async function down(): Promise<void> {
  // What was redacted is gone: there is nothing to put back.
}
