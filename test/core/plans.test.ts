import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUILT_IN_PLANS, DEFAULT_PLAN, type Plan, PlanCatalog } from '../../src/core/plans.js';

describe('built-in plans', () => {
  it("are the contract's table", () => {
    const table = BUILT_IN_PLANS.map((p) => [p.name, p.m2mApi, p.m2mApi ? p.defaultRpm : '-', p.m2mApi ? p.maxRpm : '-', p.maxLiveKeys, p.neverExpiringKeys]);
    assert.deepEqual(table, [
      ['free', false, '-', '-', 0, false],
      ['standard', true, 100, 1000, 10, false],
      ['pro', true, 100, 2000, 50, true],
      ['enterprise', true, 1000, 100000, 1000, true],
    ]);
    assert.equal(DEFAULT_PLAN, 'standard');
  });
});

describe('PlanCatalog', () => {
  it('holds the built-in plans by default', () => {
    const catalog = new PlanCatalog();
    assert.deepEqual(catalog.names(), ['free', 'standard', 'pro', 'enterprise']);
    assert.equal(catalog.get('pro')?.maxRpm, 2000);
    assert.equal(catalog.get('gold'), undefined);
  });

  it('holds exactly the plans it is given', () => {
    const startup: Plan = { name: 'startup', m2mApi: true, defaultRpm: 60, maxRpm: 600, maxLiveKeys: 5, neverExpiringKeys: false };
    const catalog = new PlanCatalog([startup]);
    assert.deepEqual(catalog.list(), [startup]);
    assert.equal(catalog.get('standard'), undefined);
  });
});
