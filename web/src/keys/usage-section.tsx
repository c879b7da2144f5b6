// The key's usage over the last 24 hours (per hour) and 7 days (per day).
import { ErrorAlert } from '../components/error-alert.js';
import { useLoad } from '../components/use-load.js';
import { useSession } from '../session/session-context.js';
import { useTenant } from '../session/tenant-context.js';
import { UsageChart } from './usage-chart.js';
import { usageRange } from './usage-range.js';
import { groupUsage } from './usage-series.js';

function UsagePanel({ keyId, interval, title }: { keyId: string; interval: 'hour' | 'day'; title: string }) {
  const { api } = useSession();
  const { tenantId } = useTenant();
  const usage = useLoad(() => api.keys.usage(tenantId, keyId, { ...usageRange(interval, Date.now()), interval }), [api, tenantId, keyId, interval]);
  if (usage.error) return <ErrorAlert error={usage.error} />;
  if (!usage.data) return <p role="status">Loading usage…</p>;
  return <UsageChart title={title} points={groupUsage(usage.data.data)} interval={usage.data.interval} />;
}

export function UsageSection({ keyId }: { keyId: string }) {
  return (
    <section className="card" aria-labelledby="usage-title">
      <h2 id="usage-title">Usage</h2>
      <div className="charts">
        <UsagePanel keyId={keyId} interval="hour" title="Last 24 hours, per hour" />
        <UsagePanel keyId={keyId} interval="day" title="Last 7 days, per day" />
      </div>
    </section>
  );
}
