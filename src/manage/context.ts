// Who is acting, from where: passed by the HTTP edge and the CLI to every change.
import type { Actor } from '../store/audit-store.js';

export interface ActionContext {
  actor: Actor;
  ip: string | null;
}

/** The CLI and background jobs act as the system. */
export const SYSTEM_CONTEXT: ActionContext = { actor: { type: 'system', id: null }, ip: null };

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
