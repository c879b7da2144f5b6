// V8 settings for a long-running server process; `serve` applies them before it builds anything.
import { setFlagsFromString } from 'node:v8';

/**
 * Turns off V8's allocation-site pretenuring for this process (both threads: V8 flags are per process).
 *
 * Pretenuring makes V8 allocate the objects of a code site straight in the old generation once it saw
 * most of them survive a young-generation collection. A server at startup (keys created, caches filled)
 * can tip per-request sites over that line; from then on each request's short-lived objects start in the
 * old generation, keep the young ones they point to alive, and are freed only by full collections.
 * Measured under load (README, Performance), a server in that state promoted about 30 times as many bytes
 * per young collection (about 850 MB instead of 27 MB over 10 s), spent some 2.5 s more of V8's helper
 * threads in them, and answered with twice the p99 latency and a fifth fewer requests per second. Whether
 * a process fell into it was chance: 11 of 26 starts here. With pretenuring off, none of 11 did.
 */
export function tuneV8ForServing(): void {
  setFlagsFromString('--no-allocation-site-pretenuring');
}
