// The usage writer of a SQLite server: records go, a few hundred at a time, to a writer thread that does the rest.
import { Worker } from 'node:worker_threads';
import { keepsRow, type RequestLogMode } from '../core/request-log-mode.js';
import type { UsageWriter, UsageWriterLogger } from './batched-usage-writer.js';
import { RecordColumnsBuilder } from './record-columns.js';
import type { FromUsageThread, ToUsageThread, UsageThreadOptions } from './sqlite-usage-worker.js';
import { UsageQueue } from './usage-queue.js';
import type { RequestRecord } from './usage-recorder.js';

/** Records handed over in one message; at a few thousand requests a second, a handover every few ms. */
const HANDOVER_SIZE = 256;
/** The longest a record waits here before it is handed over, when requests are few. */
const HANDOVER_INTERVAL_MS = 100;
/** Rows the queue of requests not logged may hold: none, since it counts each request as it comes. */
const UNLOGGED_ROWS = 0;

/**
 * On the request path `record` only pushes (into columns, the cheapest shape to clone); full chunks go to the
 * writer thread as they fill, and the rest every 100 ms. The thread runs a `BatchedUsageWriter` on its own
 * SQLite connection: it sorts records into rows, counters and last uses, writes a batch per transaction every
 * second and keeps them while the file cannot be written. This thread thus holds each record only for milliseconds (it dies young, cheap for the
 * garbage collector) and spends no time on sorting or inserts.
 *
 * Requests that `logMode` does not log are not handed over one by one: they are counted here (per key,
 * minute and outcome, plus each key's last use) and only those counts go to the thread.
 *
 * A thread that dies loses what it had not written yet (said in one warning); the next record starts another.
 * @example
 * const writer = new ThreadedUsageWriter({ sqliteFile: './data/latchkey.db' }, logger);
 * writer.start();
 * writer.record(entry);
 * await writer.close(); // hands over and writes what is left
 */
export class ThreadedUsageWriter implements UsageWriter {
  private worker: Worker | undefined;
  /** Records not handed over yet, as the columns they cross in. */
  private readonly pending = new RecordColumnsBuilder();
  private timer: NodeJS.Timeout | undefined;
  private readonly waiting = new Map<number, () => void>();
  private nextId = 0;
  private threadDepth = 0;
  private threadCounts = 0;
  private threadDropped = 0;
  private droppedBefore = 0;
  /** Counts of the requests not logged; none when every request is. */
  private readonly unlogged: UsageQueue | undefined;

  constructor(
    private readonly options: UsageThreadOptions,
    private readonly logger: UsageWriterLogger,
    private readonly logMode: RequestLogMode = 'all',
  ) {
    this.unlogged = logMode === 'all' ? undefined : new UsageQueue(UNLOGGED_ROWS, 'off');
  }

  record(entry: RequestRecord): void {
    // Requests without a known key only feed the metrics; the log has no tenant to file them under.
    if (entry.tenantId === null) return;
    if (this.unlogged !== undefined && !keepsRow(this.logMode, entry)) {
      this.unlogged.push(entry);
      return;
    }
    if (this.pending.push(entry) >= HANDOVER_SIZE) this.handOver();
  }

  get queueDepth(): number {
    return this.pending.length + this.threadDepth;
  }

  get countsWaiting(): number {
    return this.threadCounts + (this.unlogged?.countsWaiting ?? 0);
  }

  get dropped(): number {
    return this.droppedBefore + this.threadDropped;
  }

  start(): void {
    this.timer ??= setInterval(() => this.handOver(), HANDOVER_INTERVAL_MS).unref();
  }

  flush(): Promise<void> {
    // Nothing recorded yet: no thread to start just to say so.
    if (this.nothingRecorded) return Promise.resolve();
    return this.ask('flush');
  }

  async close(retryForMs = 0): Promise<boolean> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    if (this.nothingRecorded) return true;
    const droppedBefore = this.dropped;
    await this.ask('close', retryForMs);
    // The thread's last report: nothing left queued, and nothing dropped meanwhile (nor lost with a dying thread).
    const written = this.threadDepth === 0 && this.threadCounts === 0 && this.dropped === droppedBefore;
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
    return written;
  }

  private get nothingRecorded(): boolean {
    return this.worker === undefined && this.pending.length === 0 && (this.unlogged?.isEmpty ?? true);
  }

  /** Hands the records over, then asks the thread to flush or close; resolves when it has (or has died). */
  private ask(type: 'flush' | 'close', retryForMs = 0): Promise<void> {
    this.handOver();
    const worker = this.worker ?? this.startWorker();
    const id = this.nextId++;
    return new Promise<void>((resolve) => {
      // Referenced only while an answer is awaited, so an idle writer never keeps the process alive.
      if (this.waiting.size === 0) worker.ref();
      this.waiting.set(id, resolve);
      worker.postMessage((type === 'close' ? { type, id, retryForMs } : { type, id }) satisfies ToUsageThread);
    });
  }

  private handOver(): void {
    if (this.pending.length > 0) {
      const records = this.pending.take();
      (this.worker ?? this.startWorker()).postMessage({ type: 'records', records } satisfies ToUsageThread);
    }
    if (this.unlogged === undefined || this.unlogged.isEmpty) return;
    this.unlogged.absorb();
    const tally = this.unlogged.take(0);
    if (tally) (this.worker ?? this.startWorker()).postMessage({ type: 'tally', tally: { counts: tally.counts, lastUses: tally.lastUses } } satisfies ToUsageThread);
  }

  private startWorker(): Worker {
    const worker = startUsageThread(this.options);
    worker.on('message', (message: FromUsageThread) => {
      if (message.type === 'log') {
        (message.level === 'info' && this.logger.info ? this.logger.info : this.logger.warn).call(this.logger, message.obj, message.msg);
        return;
      }
      this.threadDepth = message.depth;
      this.threadCounts = message.counts;
      this.threadDropped = message.dropped;
      if (message.type !== 'done') return;
      this.waiting.get(message.id)?.();
      this.waiting.delete(message.id);
      if (this.waiting.size === 0) worker.unref();
    });
    let stopped = false;
    const stop = (error: Error) => {
      if (stopped || this.worker !== worker) return;
      stopped = true;
      this.worker = undefined;
      this.logger.warn({ err: error, lost: this.threadDepth }, 'the usage writer thread stopped; the request logs it had not written yet are lost');
      this.droppedBefore += this.threadDropped + this.threadDepth;
      this.threadDepth = 0;
      this.threadCounts = 0;
      this.threadDropped = 0;
      for (const resolve of this.waiting.values()) resolve();
      this.waiting.clear();
    };
    worker.on('error', stop);
    worker.on('exit', (code) => stop(new Error(`the usage writer thread exited (code ${code})`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }
}

/**
 * The entry sits next to this file: .js once built; .ts when running from source under tsx (tests, bench),
 * where the worker has to register tsx itself, since a worker does not inherit the loader of its parent.
 */
function startUsageThread(options: UsageThreadOptions): Worker {
  const init = { workerData: options };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./sqlite-usage-worker.js', import.meta.url), init);
  const entry = new URL('./sqlite-usage-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(bootstrap, { ...init, eval: true });
}
