// Plans: what a tenant may do with the M2M API and its keys.

export interface Plan {
  name: string;
  /** Whether keys of this plan's tenants may call the M2M API at all. */
  m2mApi: boolean;
  defaultRpm: number;
  maxRpm: number;
  /** Keys that are neither revoked nor expired (inactive ones count). */
  maxLiveKeys: number;
  /** Whether keys may have `expires_at: null`. */
  neverExpiringKeys: boolean;
  /** How far ahead a key's `expires_at` may be set, in days (only with `neverExpiringKeys: false`); none when absent. */
  maxKeyLifetimeDays?: number;
}

export const BUILT_IN_PLANS: readonly Plan[] = [
  { name: 'free', m2mApi: false, defaultRpm: 0, maxRpm: 0, maxLiveKeys: 0, neverExpiringKeys: false },
  { name: 'standard', m2mApi: true, defaultRpm: 100, maxRpm: 1000, maxLiveKeys: 10, neverExpiringKeys: false },
  { name: 'pro', m2mApi: true, defaultRpm: 100, maxRpm: 2000, maxLiveKeys: 50, neverExpiringKeys: true },
  { name: 'enterprise', m2mApi: true, defaultRpm: 1000, maxRpm: 100000, maxLiveKeys: 1000, neverExpiringKeys: true },
];

export const DEFAULT_PLAN = 'standard';

/** The plans of a deployment, by name. Config entries replace built-ins of the same name. */
export class PlanCatalog {
  private readonly byName: Map<string, Plan>;

  constructor(plans: readonly Plan[] = BUILT_IN_PLANS) {
    this.byName = new Map(plans.map((p) => [p.name, p]));
  }

  get(name: string): Plan | undefined {
    return this.byName.get(name);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  list(): Plan[] {
    return [...this.byName.values()];
  }
}
