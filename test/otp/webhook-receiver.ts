// A real HTTP server that receives WhatsApp webhook calls, for the channel and the sign-in route tests.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Cleanup } from '../support/test-app.js';

export interface WebhookCall {
  body: string;
  signature: string | undefined;
  contentType: string | undefined;
}

/** The status to answer call `n` (1-based) with, or `drop` to cut the connection without an answer. */
export type WebhookAnswer = (n: number) => number | 'drop';

export async function startWebhook(t: Cleanup, answer: WebhookAnswer = () => 200): Promise<{ url: string; calls: WebhookCall[] }> {
  const calls: WebhookCall[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      calls.push({ body: Buffer.concat(chunks).toString('utf8'), signature: headerOf(request, 'x-latchkey-signature'), contentType: headerOf(request, 'content-type') });
      const status = answer(calls.length);
      if (status === 'drop') {
        request.socket.destroy();
        return;
      }
      response.statusCode = status;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, calls };
}

function headerOf(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
