import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { RedisChangeBus } from '../../src/redis/redis-change-bus.js';
import type { CacheChange } from '../../src/verify/change-propagation.js';
import { CapturingLogger, nextStatus, openConnection, RedisProxy, redisSkipReason, TEST_REDIS_URL, testKeyPrefix } from '../support/redis.js';

/** Collects what a bus hears; `next()` resolves with the next change. */
class Listener {
  readonly changes: CacheChange[] = [];
  resyncs = 0;
  private waiting: ((change: CacheChange) => void) | undefined;
  private resyncWaiting: (() => void) | undefined;

  readonly handlers = {
    onChange: (change: CacheChange) => {
      this.changes.push(change);
      this.waiting?.(change);
    },
    onResync: () => {
      this.resyncs++;
      this.resyncWaiting?.();
    },
  };

  next(): Promise<CacheChange> {
    return new Promise((resolve) => (this.waiting = resolve));
  }

  resync(): Promise<void> {
    return new Promise((resolve) => (this.resyncWaiting = resolve));
  }
}

describe('RedisChangeBus', { skip: await redisSkipReason() }, () => {
  it("carries a change published on one node's connection to a subscriber on another's", async (t) => {
    const keyPrefix = testKeyPrefix(t);
    const logger = new CapturingLogger();
    const nodeA = new RedisChangeBus((await openConnection(t, TEST_REDIS_URL)).connection, { keyPrefix, logger });
    const nodeB = new RedisChangeBus((await openConnection(t, TEST_REDIS_URL)).connection, { keyPrefix, logger });
    const heard = new Listener();
    await nodeB.subscribe(heard.handlers);

    const arrival = heard.next();
    await nodeA.publish({ kind: 'key', id: 'key_123' });
    assert.deepEqual(await arrival, { kind: 'key', id: 'key_123' });
    const second = heard.next();
    await nodeA.publish({ kind: 'tenant', id: 'ten_456' });
    assert.deepEqual(await second, { kind: 'tenant', id: 'ten_456' });
    assert.equal(heard.resyncs, 0, 'no resync without an outage');
  });

  it('skips its own changes (the publisher applied them already) and buses with another prefix', async (t) => {
    const keyPrefix = testKeyPrefix(t);
    const logger = new CapturingLogger();
    const { connection } = await openConnection(t, TEST_REDIS_URL);
    const self = new RedisChangeBus(connection, { keyPrefix, logger });
    const elsewhere = new RedisChangeBus((await openConnection(t, TEST_REDIS_URL)).connection, { keyPrefix: testKeyPrefix(t), logger });
    const other = new RedisChangeBus((await openConnection(t, TEST_REDIS_URL)).connection, { keyPrefix, logger });
    const heard = new Listener();
    await self.subscribe(heard.handlers);

    await self.publish({ kind: 'key', id: 'key_own' });
    await elsewhere.publish({ kind: 'key', id: 'key_other_deployment' });
    const arrival = heard.next();
    await other.publish({ kind: 'key', id: 'key_other_node' });
    await arrival;
    // Pub/sub keeps order on one channel: had the own change been delivered, it would have come first.
    assert.deepEqual(heard.changes, [{ kind: 'key', id: 'key_other_node' }]);
  });

  it('ignores a malformed message with a warning and keeps listening', async (t) => {
    const keyPrefix = testKeyPrefix(t);
    const logger = new CapturingLogger();
    const bus = new RedisChangeBus((await openConnection(t, TEST_REDIS_URL)).connection, { keyPrefix, logger });
    const publisher = new RedisChangeBus((await openConnection(t, TEST_REDIS_URL)).connection, { keyPrefix, logger });
    const heard = new Listener();
    await bus.subscribe(heard.handlers);
    const raw = new Redis(TEST_REDIS_URL);
    t.after(() => raw.quit());
    await raw.publish(bus.channel, '{"kind":"everything","id":"x","origin":"y"}');
    await raw.publish(bus.channel, 'not json');
    const arrival = heard.next();
    await publisher.publish({ kind: 'tenant', id: 'ten_1' });
    await arrival;
    assert.deepEqual(heard.changes, [{ kind: 'tenant', id: 'ten_1' }]);
    assert.deepEqual(logger.messages('warn'), ['ignored a malformed cache invalidation message', 'ignored a malformed cache invalidation message']);
  });

  it('subscribes again after its connection comes back, asks for a resync, and hears later changes', async (t) => {
    const keyPrefix = testKeyPrefix(t);
    const logger = new CapturingLogger();
    const proxy = await RedisProxy.start(t, TEST_REDIS_URL);
    const { connection } = await openConnection(t, proxy.url);
    const bus = new RedisChangeBus(connection, { keyPrefix, logger });
    const publisher = new RedisChangeBus((await openConnection(t, TEST_REDIS_URL)).connection, { keyPrefix, logger });
    const heard = new Listener();
    await bus.subscribe(heard.handlers);

    const down = nextStatus(connection, false);
    await proxy.stop();
    await down;
    // Published during the outage: lost to this node, which is why it must resync.
    await publisher.publish({ kind: 'key', id: 'key_missed' });
    const resynced = heard.resync();
    await proxy.start();
    await resynced;
    assert.equal(heard.resyncs, 1);

    const arrival = heard.next();
    await publisher.publish({ kind: 'key', id: 'key_after' });
    await arrival;
    assert.deepEqual(heard.changes, [{ kind: 'key', id: 'key_after' }]);
  });
});

describe('RedisChangeBus without Redis', () => {
  it('fails a publish at once while Redis is away (the change feed carries it instead)', async (t) => {
    const { connection } = await openConnection(t, 'redis://127.0.0.1:1', { ready: false });
    const bus = new RedisChangeBus(connection, { keyPrefix: 'latchkey-test:', logger: new CapturingLogger() });
    await assert.rejects(bus.publish({ kind: 'key', id: 'key_1' }));
  });
});
