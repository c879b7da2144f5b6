// Optional part `verify`: POST /v1/keys/verify, the call the SDK makes for every request of a service, over
// loopback with a verify-only root token. Against bare Fastify answering the same JSON to the same POST (body
// checked by a schema), and against the M2M limits route of the same Latchkey process (what the verify API adds
// to verifying a key at the edge). No target: the issue names none; it shows what a service using the SDK pays.
import type { PartOptions } from './bench-options.js';
import { alternate, type HttpFigures, httpRows, probe, type Server, startBare, startLatchkey } from './http-servers.js';
import type { LoadRequest } from './load.js';
import type { Row } from './report.js';

/** The verify call of each key in turn, as `requireApiKey` sends it for a service's `GET /tenants/{id}/orders`. */
function verifyRequests(secrets: readonly string[], tenantId: string, token: string): LoadRequest[] {
  return secrets.map((key) => ({
    method: 'POST',
    path: '/v1/keys/verify',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ key, ip: '127.0.0.1', tenant_id: tenantId, path: `/tenants/${tenantId}/orders`, method: 'GET' }),
  }));
}

export async function runVerify(options: PartOptions): Promise<{ rows: Row[] }> {
  const servers: Server[] = [];
  try {
    const { server: m2m, ready } = await startLatchkey('Latchkey, M2M limits route');
    servers.push(m2m);
    // The same process loaded through its verify API: loads run one at a time, so its CPU time is this load's.
    const verify: Server = { ...m2m, label: 'Latchkey, verify API', path: '/v1/keys/verify', requests: verifyRequests(ready.secrets, ready.tenantId, ready.verifyToken) };
    const first = await probe(verify);
    if (first.status !== 200 || (first.body as { valid?: unknown }).valid !== true) {
      throw new Error(`the verify API answered ${first.status}: ${JSON.stringify(first.body)}`);
    }
    const bare = await startBare({ body: first.body, route: 'verify' }, verify);
    servers.push(bare);
    const check = await probe(bare);
    if (check.status !== 200 || JSON.stringify(check.body) !== JSON.stringify(first.body)) throw new Error('the bare server does not answer the same JSON');

    const [lkVerify, lkM2m, base] = (await alternate([verify, m2m, bare], options)) as [HttpFigures, HttpFigures, HttpFigures];
    return { rows: [...httpRows('verify', lkVerify, base, {}), ...httpRows('verify', lkVerify, lkM2m, {})] };
  } finally {
    await Promise.all(servers.map((s) => s.child.stop()));
  }
}
