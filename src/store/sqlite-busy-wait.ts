// Waiting for SQLite's write lock without blocking the thread: SQLite's own busy timeout sleeps inside the
// call, which on the server's thread would stop every request (a CLI or writer-thread transaction holding the
// lock for a second froze the event loop for that second).
import { setTimeout as delay } from 'node:timers/promises';
import { type DatabaseConnection, type Driver, type QueryCompiler, SqliteDialect, type TransactionSettings } from 'kysely';

/** Pauses between tries, as SQLite's own busy handler spaces them; then every 100 ms. */
const PAUSES_MS = [1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50];
const LATER_PAUSE_MS = 100;

/**
 * A Kysely SQLite dialect whose statements, when another connection holds the write lock (`SQLITE_BUSY`), are
 * tried again after an asynchronous pause, for up to `waitMs`. The connection itself must have `busy_timeout`
 * 0, so that SQLite answers BUSY at once instead of sleeping. Only plain `SQLITE_BUSY` is retried: a statement
 * refused so has done nothing. (`SQLITE_BUSY_SNAPSHOT`, a transaction that read before another's commit and
 * now writes, cannot succeed by trying again; SQLite's own handler does not retry it either.)
 */
export class AsyncBusyWaitSqliteDialect extends SqliteDialect {
  constructor(
    config: ConstructorParameters<typeof SqliteDialect>[0],
    private readonly waitMs: number,
  ) {
    super(config);
  }

  override createDriver(): Driver {
    return new WaitingDriver(super.createDriver(), this.waitMs);
  }
}

/** The SQLite driver, handing out connections that wait; transactions and savepoints run their SQL through them. */
class WaitingDriver implements Driver {
  /** One waiting wrapper per connection (SQLite has one): a query (a cache miss, say) allocates none. */
  private readonly waiting = new WeakMap<DatabaseConnection, DatabaseConnection>();

  constructor(
    private readonly driver: Driver,
    private readonly waitMs: number,
  ) {}

  init(): Promise<void> {
    return this.driver.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.driver.acquireConnection();
    let wrapped = this.waiting.get(connection);
    if (wrapped === undefined) {
      wrapped = waitingWhileBusy(connection, this.waitMs);
      this.waiting.set(connection, wrapped);
    }
    return wrapped;
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.driver.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.driver.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.driver.rollbackTransaction(connection);
  }

  savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.driver.savepoint!(connection, name, compile);
  }

  rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.driver.rollbackToSavepoint!(connection, name, compile);
  }

  releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.driver.releaseSavepoint!(connection, name, compile);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.driver.releaseConnection(connection);
  }

  destroy(): Promise<void> {
    return this.driver.destroy();
  }
}

function waitingWhileBusy(connection: DatabaseConnection, waitMs: number): DatabaseConnection {
  return {
    async executeQuery(query) {
      const deadline = Date.now() + waitMs;
      for (let attempt = 0; ; attempt++) {
        try {
          return await connection.executeQuery(query);
        } catch (error) {
          if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || Date.now() >= deadline) throw error;
          await delay(PAUSES_MS[attempt] ?? LATER_PAUSE_MS);
        }
      }
    },
    streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
  };
}
