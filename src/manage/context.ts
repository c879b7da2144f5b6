// Who is acting, from where: passed by the HTTP edge and the CLI to every change.
import type { Actor } from '../store/audit-store.js';

export interface ActionContext {
  actor: Actor;
  ip: string | null;
  /** An operator acts (root token, operator session, CLI): may change what belongs to users across tenants. */
  operator?: boolean;
}

/** Background jobs (key expiry) act as the system. */
export const SYSTEM_CONTEXT: ActionContext = { actor: { type: 'system', id: null }, ip: null };

/** The CLI is run by an operator with the database's credentials: audited as the operator `cli`, apart from jobs. */
export const CLI_CONTEXT: ActionContext = { actor: { type: 'operator', id: 'cli' }, ip: null, operator: true };

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
