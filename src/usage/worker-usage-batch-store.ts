// The SQLite usage batch store of a server: batches are written by a worker thread on its own connection.
import { Worker } from 'node:worker_threads';
import type { WriteReply, WriteRequest } from './sqlite-usage-worker.js';
import type { UsageBatchStore } from './usage-batch-store.js';
import type { UsageBatch } from './usage-queue.js';

interface Pending {
  resolve(): void;
  reject(error: Error): void;
}

/**
 * Hands each batch to a worker thread and resolves when it is committed there. A worker that dies fails the
 * batches it held (the writer keeps them) and is started again for the next batch.
 * @example
 * const store = new WorkerUsageBatchStore('./data/latchkey.db');
 * await store.write(batch);
 * await store.close();
 */
export class WorkerUsageBatchStore implements UsageBatchStore {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(private readonly sqliteFile: string) {}

  write(batch: UsageBatch): Promise<void> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      // Referenced only while a batch is out, so an idle writer never keeps the process alive.
      if (this.pending.size === 0) worker.ref();
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, batch } satisfies WriteRequest);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private start(): Worker {
    const worker = startWorker(this.sqliteFile);
    worker.on('message', (reply: WriteReply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.ok) waiting?.resolve();
      else waiting?.reject(new Error(reply.message));
    });
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the usage writer thread stopped (exit code ${code})`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }
}

/**
 * The entry sits next to this file: .js once built; .ts when running from source under tsx (tests, bench),
 * where the worker has to register tsx itself, since a worker does not inherit the loader of its parent.
 */
function startWorker(sqliteFile: string): Worker {
  const options = { workerData: { sqliteFile } };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./sqlite-usage-worker.js', import.meta.url), options);
  const entry = new URL('./sqlite-usage-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}
