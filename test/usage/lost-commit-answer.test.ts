import assert from 'node:assert/strict';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { openDatabase } from '../../src/store/database.js';
import { BatchedUsageWriter } from '../../src/usage/batched-usage-writer.js';
import { KyselyUsageBatchStore } from '../../src/usage/usage-batch-store.js';
import { openFor, postgresSkipReason, TEST_DATABASE_URL, testDatabases } from '../support/databases.js';
import { CapturingLogger, requestLogRows, requestRecord, T0, usageCounters } from './records.js';

/** The bytes of a simple-protocol `commit` query, as pg sends Kysely's commit. */
const COMMIT = Buffer.from('commit\0');

/**
 * A TCP proxy to PostgreSQL that, once armed, forwards the next COMMIT, then swallows the server's answer and
 * closes both sides: the transaction is in, and the client sees only a lost connection.
 */
async function startCommitAnswerDropper(): Promise<{ url(schema: string): string; arm(): void; dropped(): number; close(): Promise<void> }> {
  const target = new URL(TEST_DATABASE_URL);
  const sockets = new Set<Socket>();
  let armed = false;
  let dropped = 0;
  const proxy: Server = createServer((client) => {
    const server = connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(server);
    let dropNextAnswer = false;
    client.on('data', (chunk) => {
      if (armed && chunk.includes(COMMIT)) {
        armed = false;
        dropNextAnswer = true;
      }
      server.write(chunk);
    });
    server.on('data', (chunk) => {
      if (!dropNextAnswer) {
        client.write(chunk);
        return;
      }
      dropped++;
      client.destroy();
      server.destroy();
    });
    for (const [a, b] of [[client, server], [server, client]] as const) {
      a.on('error', () => b.destroy());
      a.on('close', () => b.destroy());
    }
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const port = (proxy.address() as { port: number }).port;
  return {
    url: (schema) => {
      const url = new URL(TEST_DATABASE_URL);
      url.host = `127.0.0.1:${port}`;
      url.searchParams.set('schema', schema);
      return url.toString();
    },
    arm: () => {
      armed = true;
    },
    dropped: () => dropped,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}

describe('usage batches on PostgreSQL when the answer to COMMIT is lost', { skip: postgresSkipReason() }, () => {
  const postgres = testDatabases().find((d) => d.name === 'postgres')!;

  it('retries the batch under its id, and the database, which has it, adds nothing twice', async (t) => {
    const handle = await openFor(t, postgres);
    const dropper = await startCommitAnswerDropper();
    t.after(() => dropper.close());
    const throughDropper = openDatabase(dropper.url(handle.schema!), { poolSize: 2 });
    t.after(() => throughDropper.close());
    const logger = new CapturingLogger();
    const writer = new BatchedUsageWriter(new KyselyUsageBatchStore(throughDropper.db), logger);
    const records = [0, 1, 2].map((i) => requestRecord('ten_a', 'key_a', { at: T0 + i * 1000 }));
    for (const record of records) writer.record(record);

    dropper.arm();
    await writer.flush();
    assert.equal(dropper.dropped(), 1, 'the COMMIT went through; its answer did not');
    assert.equal(writer.queueDepth, 3, 'the writer could not know: it keeps the batch');
    assert.deepEqual(await usageCounters(handle.db), { [`key_a ${new Date(T0).toISOString()} valid`]: 3 }, 'yet the batch is in');

    await writer.flush();
    assert.equal(writer.queueDepth, 0);
    assert.deepEqual(await usageCounters(handle.db), { [`key_a ${new Date(T0).toISOString()} valid`]: 3 }, 'the retry added no count');
    assert.deepEqual((await requestLogRows(handle.db)).map((r) => r.id), records.map((r) => r.id));
    await writer.close();
  });
});
