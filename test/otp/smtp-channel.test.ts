import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SmtpMailer } from '../../src/notify/mailer.js';
import { DeliveryError } from '../../src/otp/otp-channel.js';
import { SmtpOtpChannel } from '../../src/otp/smtp-channel.js';
import { codeInMail, startSmtpCapture } from '../support/smtp.js';

describe('SMTP channel', () => {
  it('mails the code as text and HTML, with its validity and a warning that nobody will ask for it', async (t) => {
    const smtp = await startSmtpCapture(t);
    await new SmtpOtpChannel(new SmtpMailer(smtp.url, 'Latchkey <auth@example.net>')).deliver({
      to: 'ann@example.com', code: '503112', purpose: 'sign_in', expiresAt: new Date('2026-03-01T10:10:00Z'), validMinutes: 10,
    });
    const [mail] = smtp.mailsTo('ann@example.com');
    assert.ok(mail);
    assert.equal(codeInMail(mail.raw), '503112');
    assert.match(mail.raw, /^From: Latchkey <auth@example\.net>/m);
    assert.match(mail.raw, /^Subject: Your Latchkey sign-in code/m);
    assert.match(mail.raw, /Content-Type: text\/plain/);
    assert.match(mail.raw, /Content-Type: text\/html/);
    assert.match(mail.raw, /valid for 10 minutes/);
    assert.match(mail.raw, /Nobody from Latchkey will ever ask you for this code/);
  });

  it('rejects with a DeliveryError when the server refuses the mail', async (t) => {
    const smtp = await startSmtpCapture(t);
    smtp.refusing = true;
    const error = await new SmtpOtpChannel(new SmtpMailer(smtp.url, 'x@example.net'))
      .deliver({ to: 'ann@example.com', code: '503112', purpose: 'step_up', expiresAt: new Date(), validMinutes: 10 })
      .then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof DeliveryError);
    assert.ok(!error.message.includes('503112'));
    assert.equal(smtp.mails.length, 0);
  });
});
