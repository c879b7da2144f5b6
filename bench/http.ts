// Part 2: GET /api/v1/m2m/tenants/{id}/limits over loopback, Latchkey (in-memory limiter) against bare Fastify;
// then, for comparison without a target, Latchkey logging only refused requests (LATCHKEY_REQUEST_LOG=errors),
// and bare Fastify sending Latchkey's X-Request-Id and rate-limit headers (what the wire format alone costs).
import type { PartOptions } from './bench-options.js';
import { alternate, type HttpFigures, httpRows, probe, type Server, startBare, startLatchkey, startLatchkeyAndBare } from './http-servers.js';
import type { Row } from './report.js';

export async function runHttp(options: PartOptions): Promise<{ rows: Row[]; figures: HttpFigures[] }> {
  const servers: Server[] = [];
  try {
    // The bare server answers with the very body Latchkey just gave, so both send the same JSON.
    const { latchkey, bare, first } = await startLatchkeyAndBare(servers);

    // Every load answers 200, so this server stores no request-log row: the difference is what the log costs.
    const { server: errorsOnly, ready } = await startLatchkey('Latchkey, errors-only log', { LATCHKEY_REQUEST_LOG: 'errors' });
    servers.push(errorsOnly);
    if (ready.requestLog !== 'errors') throw new Error(`the errors-only server runs with LATCHKEY_REQUEST_LOG=${ready.requestLog}`);

    // The same answer, headers and all, from a route that does nothing else.
    const bareWithHeaders = await startBare({ body: first.body, headers: first.headers }, latchkey);
    servers.push(bareWithHeaders);
    const echoed = await probe(bareWithHeaders);
    if (JSON.stringify(Object.keys(echoed.headers).sort()) !== JSON.stringify(Object.keys(first.headers).sort())) {
      throw new Error(`the bare server with headers sends ${Object.keys(echoed.headers).join(', ')}; Latchkey sends ${Object.keys(first.headers).join(', ')}`);
    }

    const [lk, base, lkErrors, baseHeaders] = (await alternate([latchkey, bare, errorsOnly, bareWithHeaders], options)) as [HttpFigures, HttpFigures, HttpFigures, HttpFigures];
    return {
      rows: [...httpRows('2 HTTP', lk, base, { rps: 0.8, p99: 1.5 }), ...httpRows('2 HTTP', lkErrors, base, {}), ...httpRows('2 HTTP', baseHeaders, base, {})],
      figures: [base, baseHeaders, lk, lkErrors],
    };
  } finally {
    await Promise.all(servers.map((s) => s.child.stop()));
  }
}
