// A pool for Kysely that never hands out again a PostgreSQL connection one of whose queries timed out.
import type { PostgresCursor, PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

/**
 * pg's `query_timeout` fails the query but leaves it as the connection's query under way: the connection waits for
 * its answer for ever, and every later query on it times out too. Kysely gives the connection back to the pool as
 * healthy, so after a network fault that lost bytes on a link that stayed up (a failover, a dropped NAT entry) the
 * pool kept handing out dead connections until TCP gave up, some 15 minutes, each request failing after 10 s.
 * Here a connection whose query timed out is destroyed when it is given back, and the pool opens a new one.
 * @example
 * const db = new Kysely({ dialect: new PostgresDialect({ pool: discardingTimedOutConnections(pool) }) });
 */
export function discardingTimedOutConnections(pool: pg.Pool): PostgresPool {
  return {
    connect: async () => watched(await pool.connect()),
    end: () => pool.end(),
  };
}

function watched(client: pg.PoolClient): PostgresPoolClient {
  let timedOut = false;
  const query = (text: string | PostgresCursor<unknown>, parameters?: ReadonlyArray<unknown>) => {
    // A cursor (streaming) is handed to pg as it is; no query of Latchkey's streams.
    if (typeof text !== 'string') return client.query(text as never);
    return client.query(text, parameters as unknown[]).catch((error: unknown) => {
      if (error instanceof Error && error.message === 'Query read timeout') timedOut = true;
      throw error;
    });
  };
  return {
    query: query as unknown as PostgresPoolClient['query'],
    release: (destroy?: boolean) => client.release(destroy === true || timedOut ? new Error('a query timed out on this connection') : undefined),
  };
}
