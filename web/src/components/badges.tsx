// Small coloured labels for statuses, environments and plans; the text says it all, colour only helps.
import type { Environment, KeyStatus, TenantStatus } from '../api/types.js';

type Tone = 'ok' | 'warn' | 'bad' | 'info' | 'neutral';

export function Badge({ tone, children, title }: { tone: Tone; children: string; title?: string }) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}

const KEY_TONES: Record<KeyStatus, Tone> = { active: 'ok', inactive: 'neutral', expired: 'warn', revoked: 'bad' };
const ENV_TONES: Record<Environment, Tone> = { production: 'bad', staging: 'warn', development: 'info' };
const TENANT_TONES: Record<TenantStatus, Tone> = { active: 'ok', pending: 'warn', suspended: 'bad' };

export const KeyStatusBadge = ({ status }: { status: KeyStatus }) => <Badge tone={KEY_TONES[status]}>{status}</Badge>;
export const EnvironmentBadge = ({ environment }: { environment: Environment }) => <Badge tone={ENV_TONES[environment]}>{environment}</Badge>;
export const TenantStatusBadge = ({ status }: { status: TenantStatus }) => <Badge tone={TENANT_TONES[status]}>{status}</Badge>;
export const PlanBadge = ({ plan }: { plan: string }) => <Badge tone="info">{plan}</Badge>;
