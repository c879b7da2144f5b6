// Worker thread entry: the usage writer of a SQLite server. It receives raw request records from the server's
// thread, and sorts, batches and writes them here, on its own connection, so that neither the sorting nor
// better-sqlite3's synchronous inserts take time from request handling.
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteConnection } from '../store/database.js';
import { BatchedUsageWriter } from './batched-usage-writer.js';
import { forEachRecord, type RecordColumns } from './record-columns.js';
import { SqliteUsageBatchStore } from './sqlite-usage-batch-store.js';
import type { UsageTally } from './usage-queue.js';

export interface UsageThreadOptions {
  sqliteFile: string;
  flushIntervalMs?: number | undefined;
  maxQueue?: number | undefined;
}

/**
 * Server thread to writer thread: records to log (and count), the counts of requests not logged, and
 * `flush` and `close`, answered with `done` of the same id.
 */
export type ToUsageThread =
  | { type: 'records'; records: RecordColumns }
  | { type: 'tally'; tally: UsageTally }
  | { type: 'flush'; id: number }
  | { type: 'close'; id: number; retryForMs: number };

/** Writer thread to server thread: where its queue stands, and the log lines it has for the server's log. */
export type FromUsageThread =
  | ({ type: 'done'; id: number } & QueueState)
  | ({ type: 'queue' } & QueueState)
  | { type: 'log'; level: 'warn' | 'info'; obj: object; msg: string };

/** Where the thread's queue stands: requests and counts waiting, rows dropped. */
export interface QueueState {
  depth: number;
  counts: number;
  dropped: number;
}

/** Rows per transaction: larger than on the server's thread, which has requests to serve between batches. */
const MAX_BATCH = 2000;

const options = workerData as UsageThreadOptions;
const port = parentPort!;
// Background work: on Linux a nice value is per thread, so this thread (only) yields the CPU to request
// handling when both want it. Elsewhere it would lower the whole process, so it is left.
if (process.platform === 'linux') setPriority(19);

const log = (level: 'warn' | 'info') => (obj: object, msg: string) => port.postMessage({ type: 'log', level, obj, msg } satisfies FromUsageThread);
const writer = new BatchedUsageWriter(new SqliteUsageBatchStore(openSqliteConnection(options.sqliteFile)), { warn: log('warn'), info: log('info') }, {
  flushIntervalMs: options.flushIntervalMs,
  maxQueue: options.maxQueue,
  maxBatch: MAX_BATCH,
  onFlushed: () => port.postMessage({ type: 'queue', ...queueState() } satisfies FromUsageThread),
});
writer.start();

port.on('message', (message: ToUsageThread) => {
  if (message.type === 'records') {
    forEachRecord(message.records, (record) => writer.record(record));
    return;
  }
  if (message.type === 'tally') {
    writer.addTally(message.tally);
    return;
  }
  const done = message.type === 'flush' ? writer.flush() : writer.close(message.retryForMs);
  void done.then(() => port.postMessage({ type: 'done', id: message.id, ...queueState() } satisfies FromUsageThread));
});

function queueState(): QueueState {
  return { depth: writer.queueDepth, counts: writer.countsWaiting, dropped: writer.dropped };
}
