import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cliWorld } from './cli-harness.js';

describe('latchkey migrate', () => {
  it('applies the migrations to a fresh database, then finds nothing to do', async (t) => {
    const world = cliWorld(t);
    const first = await world.run(['migrate', '--json']);
    assert.equal(first.code, 0, first.stderr);
    const { applied } = first.json<{ applied: string[] }>();
    assert.ok(applied.length >= 1);
    assert.match(applied[0] ?? '', /^001/);
    const again = await world.run(['migrate']);
    assert.equal(again.stdout, 'The database is up to date.\n');
    const tables = await (await world.services()).database.db.introspection.getTables();
    assert.ok(tables.some((table) => table.name === 'api_keys'));
  });
});
