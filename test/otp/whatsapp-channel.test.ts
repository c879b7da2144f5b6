import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { DeliveryError, type OtpMessage } from '../../src/otp/otp-channel.js';
import { WhatsAppWebhookChannel } from '../../src/otp/whatsapp-channel.js';
import { startWebhook } from './webhook-receiver.js';

const SECRET = 'webhook-secret-for-tests';

const message: OtpMessage = { to: '+14155550100', code: '042917', purpose: 'step_up', expiresAt: new Date('2026-03-01T10:05:00.000Z'), validMinutes: 5 };

describe('WhatsApp webhook channel', () => {
  it('posts the JSON body signed with HMAC-SHA256 of its exact bytes', async (t) => {
    const hook = await startWebhook(t);
    await new WhatsAppWebhookChannel({ url: hook.url, secret: SECRET }).deliver(message);
    assert.equal(hook.calls.length, 1);
    const [call] = hook.calls;
    assert.ok(call);
    assert.equal(call.signature, `sha256=${createHmac('sha256', SECRET).update(call.body).digest('hex')}`);
    assert.match(call.contentType ?? '', /^application\/json/);
    const body = JSON.parse(call.body) as Record<string, string>;
    assert.deepEqual(Object.keys(body).sort(), ['code', 'expires_at', 'message', 'purpose', 'to']);
    assert.equal(body.to, '+14155550100');
    assert.equal(body.code, '042917');
    assert.equal(body.purpose, 'step_up');
    assert.equal(body.expires_at, '2026-03-01T10:05:00Z');
    assert.match(body.message ?? '', /042917.*5 minutes.*Nobody from Latchkey will ever ask/);
  });

  it('retries a 5xx answer and succeeds when the webhook recovers', async (t) => {
    const hook = await startWebhook(t, (n) => (n < 3 ? 503 : 200));
    await new WhatsAppWebhookChannel({ url: hook.url, secret: SECRET, backoffMs: 10 }).deliver(message);
    assert.equal(hook.calls.length, 3);
    assert.equal(new Set(hook.calls.map((c) => c.body)).size, 1, 'the same body each time');
  });

  it('gives up after its attempts on 5xx, and at once on 4xx, with a DeliveryError', async (t) => {
    const failing = await startWebhook(t, () => 500);
    await assert.rejects(new WhatsAppWebhookChannel({ url: failing.url, secret: SECRET, attempts: 3, backoffMs: 10 }).deliver(message), DeliveryError);
    assert.equal(failing.calls.length, 3);
    const refusing = await startWebhook(t, () => 400);
    await assert.rejects(new WhatsAppWebhookChannel({ url: refusing.url, secret: SECRET, backoffMs: 10 }).deliver(message), /answered 400/);
    assert.equal(refusing.calls.length, 1);
  });

  it('retries when the connection drops', async (t) => {
    const hook = await startWebhook(t, (n) => (n === 1 ? 'drop' : 200));
    await new WhatsAppWebhookChannel({ url: hook.url, secret: SECRET, backoffMs: 10 }).deliver(message);
    assert.equal(hook.calls.length, 2);
  });

  it('fails with a DeliveryError naming no code when the webhook cannot be reached', async (t) => {
    const hook = await startWebhook(t);
    const closedPort = hook.url.replace(/:\d+\//, ':1/');
    const error = await new WhatsAppWebhookChannel({ url: closedPort, secret: SECRET, backoffMs: 10 }).deliver(message).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof DeliveryError);
    assert.match(error.message, /could not be reached/);
    assert.ok(!error.message.includes(message.code));
  });
});
