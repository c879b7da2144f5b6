// Every error code of the catalog is documented, with its status, in the contract and the README.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { errorCatalog } from '../../src/core/errors.js';

const CONTRACT = process.env.LATCHKEY_CONTRACT_PATH ?? '/work/shared/CONTRACT.md';
const README = fileURLToPath(new URL('../../README.md', import.meta.url));

/** The `| 401 | `code` | ...` rows of a document's error tables, as code -> status. */
function documentedCodes(markdown: string): Map<string, number> {
  const rows = new Map<string, number>();
  for (const match of markdown.matchAll(/^\|\s*(\d{3})\s*\|\s*`([a-z_]+)`\s*\|/gm)) rows.set(match[2]!, Number(match[1]));
  return rows;
}

function checkDocument(path: string): void {
  const rows = documentedCodes(readFileSync(path, 'utf8'));
  const missing = Object.keys(errorCatalog).filter((code) => !rows.has(code));
  assert.deepEqual(missing, [], `codes without a "| status | \`code\` |" row in ${path}`);
  for (const [code, entry] of Object.entries(errorCatalog)) {
    assert.equal(rows.get(code), entry.status, `${code} in ${path}`);
  }
  const unknown = [...rows.keys()].filter((code) => !Object.hasOwn(errorCatalog, code));
  assert.deepEqual(unknown, [], `codes documented in ${path} but not in the catalog`);
}

describe('error codes in the documentation', () => {
  it('are all in CONTRACT.md section 3 with the same status', { skip: !existsSync(CONTRACT) && `no ${CONTRACT}` }, () => {
    checkDocument(CONTRACT);
  });

  // The README is written by another engineer; until it exists there is nothing to check.
  it('are all in README.md with the same status', { skip: !existsSync(README) && 'README.md does not exist yet' }, () => {
    checkDocument(README);
  });
});
