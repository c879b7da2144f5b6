// How the CLI writes: a result as human text or one JSON document on stdout, a failure as one line on stderr.
import { redactSecretsIn } from '../core/redaction.js';
import { printable, printableLines } from '../core/names.js';

/** Anything that takes text: process.stdout, or a buffer in tests. */
export interface TextSink {
  write(text: string): unknown;
}

/** A failure as `--json` prints it (on stderr, so stdout only ever holds results). */
export interface JsonFailure {
  error: { code: string; details: string; fields?: { field: string; message: string }[] };
}

export class Output {
  constructor(
    private readonly stdout: TextSink,
    private readonly stderr: TextSink,
    /** Read when printing, since `--json` is known only once the arguments are parsed. */
    readonly json: () => boolean,
  ) {}

  /** The command's result: `data` as JSON with --json, else `text`. */
  result(data: unknown, text: string): void {
    // Names come from users: a terminal escape in one must not reach the terminal as one.
    this.stdout.write(this.json() ? `${JSON.stringify(data)}\n` : `${printableLines(text)}\n`);
  }

  /** Text for people only; left out with --json so stdout stays one JSON document. */
  note(text: string): void {
    if (!this.json()) this.stdout.write(`${printableLines(text)}\n`);
  }

  /** One line on stderr: `latchkey: <message>`, or the JSON failure object with --json. */
  failure(code: string, message: string, fields?: JsonFailure['error']['fields']): void {
    // A key pasted where an id belongs comes back in "No key <id>": never in full.
    const line = redactSecretsIn(oneLine(message));
    const redactedFields = fields?.map((f) => ({ field: redactSecretsIn(f.field), message: redactSecretsIn(f.message) }));
    const body: JsonFailure = { error: { code, details: line, ...(redactedFields && redactedFields.length > 0 ? { fields: redactedFields } : {}) } };
    this.stderr.write(this.json() ? `${JSON.stringify(body)}\n` : `latchkey: ${line}\n`);
  }
}

/** Newlines in a message (a driver's error, say) would break the one-line promise. */
export function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}

/** A plain table: columns padded to their widest cell, two spaces apart. */
export function table(headers: string[], dirtyRows: string[][]): string {
  // A name stored before control characters were refused must not move the terminal's cursor.
  const rows = dirtyRows.map((row) => row.map(printable));
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

export function orDash(value: string | null | undefined): string {
  return value === null || value === undefined || value === '' ? '-' : value;
}
