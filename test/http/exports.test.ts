import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createKey, createTenant, startTestApp, type TestApp } from '../support/test-app.js';

const limits = (tenantId: string) => `/api/v1/m2m/tenants/${tenantId}/limits`;

/** Every entry of a list, page after page, as the API lists them. */
async function listAll(app: TestApp, url: string): Promise<Record<string, unknown>[]> {
  const all: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  do {
    const separator = url.includes('?') ? '&' : '?';
    const res = await app.root('GET', `${url}${separator}limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(res.statusCode, 200, res.body);
    const page = res.json() as { data: Record<string, unknown>[]; next_cursor: string | null };
    all.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor !== null);
  return all;
}

/** Parses RFC 4180 CSV (quoted cells, doubled quotes, CRLF records) into rows of cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += c;
  }
  assert.equal(cell + row.join(''), '', 'the file ends with a whole record');
  return rows;
}

describe('exports of the request logs and the audit log', () => {
  it('exports every request log the filters match, newest first, as CSV and NDJSON, the same entries the list pages through', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const other = await createTenant(app, { name: 'Other' });
    const { key, secret } = await createKey(app, tenant.id, { rate_limit: { requests_per_minute: 600 } });
    const second = await createKey(app, tenant.id, { name: 'second' });
    const stranger = await createKey(app, other.id);
    // Past the 600 of the bucket: the rest are 429s. More than two reads of the export's own paging.
    for (let i = 0; i < 1100; i++) await app.machine(limits(tenant.id), secret);
    await app.machine(limits(tenant.id), second.secret);
    await app.machine(limits(other.id), stranger.secret);
    await app.services.usageWriter.flush();

    const listed = await listAll(app, `/v1/tenants/${tenant.id}/request-logs`);
    assert.equal(listed.length, 1101);
    const csv = await app.root('GET', `/v1/tenants/${tenant.id}/request-logs/export`);
    assert.equal(csv.statusCode, 200, csv.body);
    assert.equal(csv.headers['content-type'], 'text/csv; charset=utf-8');
    assert.match(String(csv.headers['content-disposition']), new RegExp(`^attachment; filename="request-logs-${tenant.id}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`));
    const [header, ...rows] = parseCsv(csv.body);
    assert.deepEqual(header, ['id', 'at', 'tenant_id', 'key_id', 'method', 'path', 'status', 'code', 'latency_ms', 'ip', 'environment']);
    assert.deepEqual(rows, listed.map((entry) => header!.map((field) => String(entry[field] ?? ''))), 'the rows of the list, in its order');
    assert.ok(!rows.some((row) => row[2] === other.id), "no other tenant's requests");

    const ndjson = await app.root('GET', `/v1/tenants/${tenant.id}/request-logs/export?format=ndjson`);
    assert.equal(ndjson.headers['content-type'], 'application/x-ndjson; charset=utf-8');
    assert.match(String(ndjson.headers['content-disposition']), /\.ndjson"$/);
    assert.ok(ndjson.body.endsWith('\n'));
    assert.deepEqual(ndjson.body.trimEnd().split('\n').map((line) => JSON.parse(line)), listed);

    // The list's filters, the same way.
    const limited = await app.root('GET', `/v1/tenants/${tenant.id}/request-logs/export?format=ndjson&status=429&key_id=${key.id}`);
    const refused = limited.body.trimEnd().split('\n').map((line) => JSON.parse(line) as { status: number; key_id: string });
    assert.deepEqual(refused, await listAll(app, `/v1/tenants/${tenant.id}/request-logs?status=429&key_id=${key.id}`));
    assert.ok(refused.length >= 400 && refused.every((entry) => entry.status === 429 && entry.key_id === key.id), String(refused.length));
    const none = await app.root('GET', `/v1/tenants/${tenant.id}/request-logs/export?key_id=key_none`);
    assert.equal(none.statusCode, 200);
    assert.equal(none.body, 'id,at,tenant_id,key_id,method,path,status,code,latency_ms,ip,environment\r\n', 'nothing matched: the header row alone');
    assert.doesNotMatch(csv.body + ndjson.body, new RegExp(secret), 'no secret');
  });

  it('exports the audit log with its filters, the actor and target spread out and the details as JSON', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app, { name: 'Acme, "the" company' });
    const { key } = await createKey(app, tenant.id, { name: 'bot' });
    assert.equal((await app.root('POST', `/v1/tenants/${tenant.id}/keys/${key.id}/revoke`)).statusCode, 200);

    const csv = await app.root('GET', `/v1/tenants/${tenant.id}/audit-log/export`);
    assert.equal(csv.statusCode, 200, csv.body);
    assert.match(String(csv.headers['content-disposition']), new RegExp(`^attachment; filename="audit-log-${tenant.id}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`));
    const [header, ...rows] = parseCsv(csv.body);
    assert.deepEqual(header, ['id', 'at', 'actor_type', 'actor_id', 'action', 'target_type', 'target_id', 'ip', 'details']);
    const listed = await listAll(app, `/v1/tenants/${tenant.id}/audit-log`);
    assert.deepEqual(rows.map((row) => row[4]), ['key.revoked', 'key.created', 'tenant.created']);
    assert.deepEqual(rows.map((row) => row[0]), listed.map((entry) => entry.id));
    const created = rows[2]!;
    assert.deepEqual([created[2], created[3], created[5], created[6]], ['operator', 'env', 'tenant', tenant.id]);
    assert.deepEqual(JSON.parse(created[8]!), listed[2]!.details, 'a name with a comma and quotes survives the round trip');
    assert.equal((JSON.parse(created[8]!) as { name: string }).name, 'Acme, "the" company');

    const revocations = await app.root('GET', `/v1/tenants/${tenant.id}/audit-log/export?format=ndjson&action=key.revoked`);
    assert.deepEqual(revocations.body.trimEnd().split('\n').map((line) => (JSON.parse(line) as { action: string }).action), ['key.revoked']);
  });

  it('refuses what the lists refuse, and an unknown format or a page size, in the error shape', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    for (const query of ['format=xml', 'limit=10', 'cursor=abc', 'status=99', 'from=yesterday']) {
      const res = await app.root('GET', `/v1/tenants/${tenant.id}/request-logs/export?${query}`);
      assert.equal(res.statusCode, 400, query);
      assert.equal(res.json().code, 'invalid_request', query);
    }
    assert.equal((await app.root('GET', `/v1/tenants/${tenant.id}/audit-log/export?action=key.eaten`)).statusCode, 400);
    const elsewhere = await app.root('GET', '/v1/tenants/ten_AAAAAAAAAAAAAAAAAAAA/audit-log/export');
    assert.equal(elsewhere.statusCode, 404);
    assert.equal(elsewhere.headers['content-disposition'], undefined);
    const anonymous = await app.app.inject({ url: `/v1/tenants/${tenant.id}/request-logs/export` });
    assert.equal(anonymous.statusCode, 401);
  });
});
