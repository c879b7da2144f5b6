// The tenant being looked at, with the signed-in person's role in it and its plan.
import { createContext, useContext } from 'react';
import type { Plan, Role, Tenant } from '../api/types.js';

export interface TenantView {
  tenantId: string;
  /** Null while loading or when the tenant could not be read. */
  tenant: Tenant | null;
  plan: Plan | null;
  role: Role | null;
  canManage: boolean;
}

export const TenantContext = createContext<TenantView | null>(null);

export function useTenant(): TenantView {
  const view = useContext(TenantContext);
  if (view === null) throw new Error('useTenant outside a tenant');
  return view;
}
