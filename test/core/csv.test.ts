import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csvLine } from '../../src/core/csv.js';

describe('csvLine', () => {
  it('quotes what needs quotes, doubles quotes, and ends each record with CRLF', () => {
    assert.equal(csvLine(['GET', '/a', 200, 0.5, null]), 'GET,/a,200,0.5,\r\n');
    assert.equal(csvLine(['a,b', 'say "hi"', 'two\nlines', 'cr\r']), '"a,b","say ""hi""","two\nlines","cr\r"\r\n');
    assert.equal(csvLine([]), '\r\n');
  });

  it('makes a value a spreadsheet would run as a formula plain text, and leaves numbers alone', () => {
    assert.equal(csvLine(['=HYPERLINK("http://x","y")']), `"'=HYPERLINK(""http://x"",""y"")"\r\n`);
    for (const start of ['+', '-', '@', '\t']) assert.equal(csvLine([`${start}1`]), `'${start}1\r\n`, JSON.stringify(start));
    assert.equal(csvLine(['\r1']), `"'\r1"\r\n`);
    assert.equal(csvLine([-1]), '-1\r\n');
    assert.equal(csvLine(['/=not-first']), '/=not-first\r\n');
  });
});
