// One line when a retried background task starts failing and one when it works again, never one per retry.

/** Where the lines go; a logger without `info` gets the recovery as a warning. */
export interface OutageLogger {
  warn(obj: object, msg: string): void;
  info?(obj: object, msg: string): void;
}

/**
 * The outage state of a task retried on a timer (usage writes, the change feed, key expiry): the first failure
 * of an outage is logged as a warning, later ones are not, and the first success after it is logged once.
 * @example
 * const outage = new OutageLog(logger);
 * try {
 *   await poll();
 *   outage.recovered({}, 'reading the change feed works again');
 * } catch (error) {
 *   outage.failed({ err: error }, 'reading the change feed failed; retrying every poll until it works');
 * }
 */
export class OutageLog {
  private down = false;

  constructor(private readonly logger: OutageLogger) {}

  /** True from a failure until the next success. */
  get failing(): boolean {
    return this.down;
  }

  failed(obj: object, msg: string): void {
    if (!this.down) this.logger.warn(obj, msg);
    this.down = true;
  }

  recovered(obj: object, msg: string): void {
    if (this.down) (this.logger.info ?? this.logger.warn).call(this.logger, obj, msg);
    this.down = false;
  }
}
