// The SQLite file holds the server's HMAC key (which codes and CSRF tokens are checked with), hashed credentials,
// members' addresses and request logs: only the user the server runs as may read it.
import { closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** Permission bits that give the file's group or other users any access. */
const SHARED_BITS = 0o077;

/**
 * Creates `path` empty, readable and writable by its owner only (0600), in a directory only its owner may enter
 * (0700) when that is new too. An existing file or directory is left as it is (see `sharedMode`). SQLite gives the
 * -wal and -shm files beside it the file's own mode.
 */
export function createPrivately(path: string): void {
  if (existsSync(path)) return;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (error) {
    // Made meanwhile by another process (a second node starting, the usage thread): as good.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/** The file's mode in octal ("644") when its group or other users have any access to it, else undefined. */
export function sharedMode(path: string): string | undefined {
  const mode = statSync(path).mode & 0o777;
  return (mode & SHARED_BITS) === 0 ? undefined : mode.toString(8);
}
