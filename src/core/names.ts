// Names people give keys and tenants: shown in tables, terminals and pages, so they hold no control characters.

/**
 * C0 and C1 controls, DEL, the Unicode line and paragraph separators, the bidirectional controls (marks,
 * embeddings, overrides, isolates), which make `prod-\u202etxt.exe` show as `prod-exe.txt`, and the invisible
 * characters that make two names look alike: the soft hyphen, the Mongolian vowel separator, the zero-width
 * space, the word joiner and invisible operators, and the byte-order mark. (The zero-width joiner and non-joiner
 * stay: emoji sequences and some scripts need them.)
 */
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u00ad\u180e\u2028\u2029\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

/** The longest search of key or tenant names (`?search=`), in code points: the longest tenant name (a key's is 100). */
export const MAX_SEARCH_CHARACTERS = 200;

/**
 * How many characters `text` has, counted as Unicode code points: an emoji is one, where `length` (UTF-16 units)
 * counts two. Ajv's `maxLength` and PostgreSQL's `char_length` count the same way. Not grapheme clusters: a flag
 * or an emoji with a skin tone counts two or more, as storage counts it.
 * @example characterCount('\u{1f511}key') // 4
 */
export function characterCount(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is a single character; a lone one counts as one.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/** Why `name` cannot be given as a name, or `undefined` when it can. */
export function controlCharacterProblem(name: string): string | undefined {
  return CONTROL_CHARACTERS.test(name) ? 'must not contain control characters (line breaks, tabs, terminal escapes, text-direction controls)' : undefined;
}

const CONTROL_GLOBAL = new RegExp(CONTROL_CHARACTERS.source, 'g');
const CONTROL_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u00ad\u180e\u2028\u2029\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

function escape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** `text` with each control character written as its escape (`\u001b`), for one cell or line of a terminal. */
export function printable(text: string): string {
  return text.replace(CONTROL_GLOBAL, escape);
}

/** `printable`, keeping line breaks: for text of several lines. */
export function printableLines(text: string): string {
  return text.replace(CONTROL_BUT_NEWLINE, escape);
}
