// E-mail addresses as Latchkey compares and stores them.

/**
 * One spelling per address: trimmed, in lower case and in Unicode NFC, so that `Zoë@x` typed with a combining
 * diaeresis (NFD, as some keyboards and macOS file names give it) is the same person as with a precomposed ë.
 */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase().normalize('NFC');
}
