// An SMTP server inside the test process that keeps every mail it receives, so tests can read sign-in codes.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Cleanup {
  after(fn: () => unknown): void;
}

export interface CapturedMail {
  /** Envelope recipients, lower case, comma separated. */
  to: string;
  /** The whole message as sent (headers and body), quoted-printable soft breaks joined. */
  raw: string;
}

export interface SmtpCapture {
  /** `smtp://127.0.0.1:<port>`, for LATCHKEY_SMTP_URL. */
  url: string;
  mails: CapturedMail[];
  /** While true, the server refuses every mail with a 451 (for delivery-failure tests). */
  refusing: boolean;
  /** The newest code mailed to `to` after the first `after` mails, waiting up to 10 s for it. */
  code(to: string, after?: number): Promise<string>;
  /** Mails to `to` received so far. */
  mailsTo(to: string): CapturedMail[];
  /**
   * Holds the next mail at its MAIL FROM until `release()`: `reached` resolves once a sender is waiting
   * there (for tests of what happens while a delivery is under way).
   */
  hold(): { reached: Promise<void>; release: () => void };
}

/** The 6-digit code in a mail of ours ("... code is 123456."), or undefined. */
export function codeInMail(raw: string): string | undefined {
  return /code is (\d{6})\b/.exec(raw)?.[1];
}

export async function startSmtpCapture(t: Cleanup): Promise<SmtpCapture> {
  const mails: CapturedMail[] = [];
  let gate: { reached: () => void; released: Promise<void> } | undefined;
  const capture: SmtpCapture = {
    url: '',
    mails,
    refusing: false,
    async code(to, after = 0) {
      const end = Date.now() + 10_000;
      while (Date.now() < end) {
        const mail = capture.mailsTo(to).filter((m) => mails.indexOf(m) >= after).at(-1);
        const code = mail && codeInMail(mail.raw);
        if (code) return code;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`no code mailed to ${to}`);
    },
    mailsTo: (to) => mails.filter((m) => m.to.split(',').includes(to.toLowerCase())),
    hold() {
      let reached!: () => void;
      let release!: () => void;
      const hold = { reached: new Promise<void>((resolve) => (reached = resolve)), release: () => release() };
      gate = { reached, released: new Promise<void>((resolve) => (release = resolve)) };
      return hold;
    },
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onMailFrom(_address, _session, callback) {
      const answer = () => {
        if (!capture.refusing) return callback();
        const error = Object.assign(new Error('mailbox temporarily unavailable'), { responseCode: 451 });
        return callback(error);
      };
      const held = gate;
      if (!held) return answer();
      gate = undefined;
      held.reached();
      void held.released.then(answer);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase()).join(',');
        mails.push({ to, raw: Buffer.concat(chunks).toString('utf8').replace(/=\r?\n/g, '') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  capture.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  return capture;
}
