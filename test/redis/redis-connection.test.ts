import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CapturingLogger, nextStatus, openConnection, RedisProxy, redisSkipReason, TEST_REDIS_URL } from '../support/redis.js';

/** Resolves after the client has tried to reconnect `count` more times. */
function reconnects(client: { on(event: 'reconnecting', listener: () => void): unknown; off(event: 'reconnecting', listener: () => void): unknown }, count: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const listener = (): void => {
      if (++seen < count) return;
      client.off('reconnecting', listener);
      resolve();
    };
    client.on('reconnecting', listener);
  });
}

describe('RedisConnection without Redis', () => {
  it('logs the outage once (fail-closed wording) however often reconnecting fails, and never the password', async (t) => {
    const { connection, logger } = await openConnection(t, 'redis://:hunter2-secret@127.0.0.1:1', { ready: false, failureMode: 'closed' });
    await reconnects(connection.client, 4);
    assert.equal(connection.isReady(), false);
    assert.deepEqual(logger.messages('warn'), ['Redis unreachable: requests needing it are refused with 503 (LATCHKEY_REDIS_FAILURE=closed)']);
    assert.doesNotMatch(JSON.stringify(logger.lines), /hunter2/);
    assert.match(JSON.stringify(logger.lines), /127\.0\.0\.1:1/, 'the address is named');
  });

  it('says in fail-open mode that requests are decided with local limits', async (t) => {
    const { connection, logger } = await openConnection(t, 'redis://127.0.0.1:1', { ready: false, failureMode: 'open' });
    await reconnects(connection.client, 2);
    assert.deepEqual(logger.messages('warn'), ['Redis unreachable: requests needing it are decided with local limits (LATCHKEY_REDIS_FAILURE=open)']);
  });

  it('fails commands at once instead of queueing them while down', async (t) => {
    const { connection } = await openConnection(t, 'redis://127.0.0.1:1', { ready: false });
    await assert.rejects(connection.client.ping(), /enableOfflineQueue|Stream isn't writeable/);
  });

  it('gives up waiting for readiness after the timeout', async (t) => {
    const { connection } = await openConnection(t, 'redis://127.0.0.1:1', { ready: false });
    assert.equal(await connection.waitUntilReady(50), false);
  });
});

describe('RedisConnection', { skip: await redisSkipReason() }, () => {
  it('reports each outage once, and the recovery, to the log and to status listeners', async (t) => {
    const proxy = await RedisProxy.start(t, TEST_REDIS_URL);
    const logger = new CapturingLogger();
    const { connection } = await openConnection(t, proxy.url, { logger });
    const changes: boolean[] = [];
    connection.onStatusChange((up) => changes.push(up));
    assert.equal(connection.isReady(), true);

    for (let outage = 0; outage < 2; outage++) {
      const down = nextStatus(connection, false);
      await proxy.stop();
      await down;
      await reconnects(connection.client, 2);
      const up = nextStatus(connection, true);
      await proxy.start();
      await up;
    }
    assert.deepEqual(changes, [false, true, false, true]);
    assert.deepEqual(
      logger.lines.map((line) => `${line.level} ${line.msg}`),
      [
        'info Redis connected',
        'warn Redis unreachable: requests needing it are refused with 503 (LATCHKEY_REDIS_FAILURE=closed)',
        'info Redis reachable again',
        'warn Redis unreachable: requests needing it are refused with 503 (LATCHKEY_REDIS_FAILURE=closed)',
        'info Redis reachable again',
      ],
    );
    assert.equal(await connection.client.ping(), 'PONG');
  });

  it('closes its duplicates with itself', async (t) => {
    const { connection } = await openConnection(t, TEST_REDIS_URL);
    const extra = connection.duplicate();
    await new Promise((resolve) => extra.once('ready', resolve));
    await connection.close();
    assert.equal(connection.client.status, 'end');
    assert.equal(extra.status, 'end');
  });

  it('replaces a connection that stopped answering once a readiness check times out, so that it works again when the link does', async (t) => {
    const proxy = await RedisProxy.start(t, TEST_REDIS_URL);
    const { connection } = await openConnection(t, proxy.url, { commandTimeoutMs: 200 });
    assert.equal(await connection.answers(), true);
    // Bytes lost on a link that stays open: the connection's replies no longer match its commands.
    proxy.hang();
    await assert.rejects(connection.client.ping());
    assert.equal(await connection.answers(), false);
    proxy.resume();
    let answered = false;
    for (let i = 0; i < 50 && !answered; i++) {
      answered = await connection.answers();
      if (!answered) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(answered, true, 'answers again on a new connection');
  });
});
