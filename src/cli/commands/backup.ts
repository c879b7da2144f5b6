// `latchkey backup <file>`: a consistent copy of the SQLite database, safe to take while servers run.
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { CliFailure } from '../cli-errors.js';

const SQLITE = 'sqlite:';

export function registerBackupCommand(program: Command, ctx: CliContext): void {
  program
    .command('backup')
    .description('copy the SQLite database into a new file, while servers run (PostgreSQL: use pg_dump)')
    .argument('<file>', 'the new file (never overwritten; readable by you only)')
    .action(async (file: string) => {
      const url = ctx.config().databaseUrl;
      if (!url.startsWith(SQLITE)) throw new CliFailure('unsupported', 'backup copies a SQLite database; back up PostgreSQL with pg_dump (see the README)');
      const source = url.slice(SQLITE.length);
      if (source === ':memory:') throw new CliFailure('unsupported', 'an in-memory database (sqlite::memory:) has nothing to back up');
      const { backupSqlite, BackupRefused } = await import('../../store/sqlite-backup.js');
      let backup;
      try {
        backup = backupSqlite(source, file);
      } catch (error) {
        if (error instanceof BackupRefused) throw new CliFailure('failed', error.message);
        throw error;
      }
      ctx.out.result(backup, [
        `Backed up ${source} to ${backup.file}: ${formatBytes(backup.bytes)}, ${plural(backup.tenants, 'tenant')}, ${plural(backup.keys, 'key')}; integrity checked.`,
        'It holds the server\'s HMAC key and hashed credentials: keep it as private as the database.',
        `To restore: stop every server, replace ${source} with the copy (and delete ${source}-wal and ${source}-shm), start.`,
      ].join('\n'));
    });
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function formatBytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
