import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Histogram, Registry } from 'prom-client';
import { LabelledHistogram } from '../../src/metrics/labelled-histogram.js';

const OUTCOMES = ['valid', 'rejected', 'rate_limited'];
const BOUNDS = [0.001, 0.01, 0.1];

describe('LabelledHistogram', () => {
  it("exposes the same text as prom-client's Histogram for the same observations", async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const histogram = new LabelledHistogram('t_seconds', 'Test', 'outcome', OUTCOMES, BOUNDS);
    histogram.register(ours);
    const reference = new Histogram({ name: 't_seconds', help: 'Test', labelNames: ['outcome'], buckets: BOUNDS, registers: [theirs] });
    // On a bound (counted in it: `le` is inclusive), between bounds, above them all, zero; `rate_limited` never.
    const observations: [number, number][] = [[0, 0.001], [0, 0.005], [0, 3], [1, 0], [1, 0.0999], [0, 0.01]];
    for (const [index, value] of observations) {
      histogram.observe(index, value);
      reference.observe({ outcome: OUTCOMES[index]! }, value);
    }
    const text = await ours.metrics();
    assert.equal(text, await theirs.metrics());
    assert.match(text, /^t_seconds_bucket\{le="0.001",outcome="valid"\} 1$/m);
    assert.match(text, /^t_seconds_bucket\{le="0.01",outcome="valid"\} 3$/m);
    assert.match(text, /^t_seconds_bucket\{le="\+Inf",outcome="valid"\} 4$/m);
    assert.doesNotMatch(text, /rate_limited/, 'a label value never observed has no samples');
  });

  it('starts again from nothing when the registry resets its metrics', async () => {
    const registry = new Registry();
    const histogram = new LabelledHistogram('t_seconds', 'Test', 'outcome', OUTCOMES, BOUNDS);
    histogram.register(registry);
    histogram.observe(2, 0.5);
    assert.match(await registry.metrics(), /^t_seconds_count\{outcome="rate_limited"\} 1$/m);
    registry.resetMetrics();
    assert.doesNotMatch(await registry.metrics(), /t_seconds_count/);
  });
});
