// Worker thread entry: writes usage batches to the SQLite file named in workerData, on its own connection,
// so that better-sqlite3's synchronous inserts never hold up the server's event loop.
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../store/database.js';
import { KyselyUsageBatchStore } from './usage-batch-store.js';
import type { UsageBatch } from './usage-queue.js';

export interface WriteRequest {
  id: number;
  batch: UsageBatch;
}

export type WriteReply = { id: number; ok: true } | { id: number; ok: false; message: string };

const { sqliteFile } = workerData as { sqliteFile: string };
// Writing logs is background work: on Linux a nice value is per thread, so this thread (only) yields the
// CPU to request handling when both want it. Elsewhere it would lower the whole process, so it is left.
if (process.platform === 'linux') setPriority(19);
const database = openDatabase(`sqlite:${sqliteFile}`);
const store = new KyselyUsageBatchStore(database.db);
const port = parentPort!;

port.on('message', (request: WriteRequest) => {
  store.write(request.batch).then(
    () => port.postMessage({ id: request.id, ok: true } satisfies WriteReply),
    (error: unknown) => port.postMessage({ id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) } satisfies WriteReply),
  );
});
port.once('close', () => void database.close());
