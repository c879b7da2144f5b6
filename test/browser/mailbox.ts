// An SMTP server inside the test that keeps every mail, so a test can read the sign-in codes.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { Cleanup } from '../support/test-app.js';

export interface Mail {
  to: string;
  text: string;
}

export interface Mailbox {
  url: string;
  mails: Mail[];
  /** The newest 6-digit code sent to `to`, waiting for it to arrive. */
  code(to: string, after?: number): Promise<string>;
}

export async function startMailbox(t: Cleanup): Promise<Mailbox> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase()).join(',');
        mails.push({ to, text: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    async code(to, after = 0) {
      const end = Date.now() + 10_000;
      while (Date.now() < end) {
        const mail = mails.slice(after).reverse().find((m) => m.to.includes(to.toLowerCase()));
        const code = mail && /\b(\d{6})\b/.exec(mail.text.replace(/=\r?\n/g, ''))?.[1];
        if (code) return code;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no code mailed to ${to}`);
    },
  };
}
