// CSV (RFC 4180) for exports that people open in a spreadsheet. Cells hold what others chose (request paths, names in
// audit details): one that a spreadsheet would run as a formula is made text first, with a leading apostrophe (OWASP,
// "CSV injection").

/** What makes a spreadsheet read a cell as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** What makes a cell need quotes. */
const NEEDS_QUOTES = /[",\r\n]/;

export type CsvValue = string | number | null;

/**
 * One CSV record, CRLF-terminated; null is an empty cell.
 * @example csvLine(['GET', '/a,b', 200, null]) // 'GET,"/a,b",200,\r\n'
 */
export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

function csvCell(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
