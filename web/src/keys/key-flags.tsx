// Warnings about a key worth a glance: it expires soon, or nothing has used it for weeks.
import type { ApiKey } from '../api/types.js';
import { Badge } from '../components/badges.js';
import { EXPIRY_WARNING_DAYS, expiresSoon, ORPHAN_DAYS, possiblyOrphaned } from './key-facts.js';

export function ExpiresSoonFlag({ apiKey, now }: { apiKey: ApiKey; now: number }) {
  if (!expiresSoon(apiKey, now)) return null;
  return (
    <Badge tone="warn" title={`Expires within ${EXPIRY_WARNING_DAYS} days: rotate it or extend its expiry`}>
      expires soon
    </Badge>
  );
}

export function OrphanFlag({ apiKey, now }: { apiKey: ApiKey; now: number }) {
  if (!possiblyOrphaned(apiKey, now)) return null;
  return (
    <Badge tone="neutral" title={`Not used for ${ORPHAN_DAYS} days or more: check whether anything still needs it`}>
      possibly orphaned
    </Badge>
  );
}

export function KeyFlags({ apiKey, now }: { apiKey: ApiKey; now: number }) {
  return (
    <>
      <ExpiresSoonFlag apiKey={apiKey} now={now} />
      <OrphanFlag apiKey={apiKey} now={now} />
    </>
  );
}
