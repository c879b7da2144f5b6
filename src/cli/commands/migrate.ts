// `latchkey migrate`: applies pending migrations (serve does this too, under the same lock).
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';

export function registerMigrateCommand(program: Command, ctx: CliContext): void {
  program
    .command('migrate')
    .description('apply pending database migrations (serve does this too)')
    .action(async () => {
      const config = ctx.config();
      const { migrate, openDatabase } = await import('../../store/database.js');
      const database = openDatabase(config.databaseUrl);
      try {
        const applied = await migrate(database.db);
        ctx.out.result({ applied }, applied.length ? `Applied ${applied.join(', ')}.` : 'The database is up to date.');
      } finally {
        await database.close();
      }
    });
}
