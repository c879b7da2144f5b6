// A usage recorder that counts every machine request in the metrics, then hands it to the writer.
import type { RequestRecord, UsageRecorder } from './usage-recorder.js';

/** What the recorder needs of the metrics: one cheap call per request. */
export interface RequestMeter {
  observeRequest(code: string, latencyMs: number): void;
}

/**
 * Wraps the batched writer so that requests without a known key (missing, malformed, unknown), which
 * the writer ignores, still show in `latchkey_verifications_total`.
 * @example const usage = new MeteredUsageRecorder(usageWriter, metrics);
 */
export class MeteredUsageRecorder implements UsageRecorder {
  constructor(private readonly inner: UsageRecorder, private readonly meter: RequestMeter) {}

  record(entry: RequestRecord): void {
    this.meter.observeRequest(entry.code, entry.latencyMs);
    this.inner.record(entry);
  }
}
