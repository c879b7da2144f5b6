// The last requests made with a key, with a link to the full request log filtered to it.
import { ErrorAlert } from '../components/error-alert.js';
import { useLoad } from '../components/use-load.js';
import { NO_KEY_REQUESTS } from '../logs/request-log-setting.js';
import { RequestLogTable } from '../logs/request-log-table.js';
import { Link } from '../router/navigation.js';
import { hrefFor } from '../router/routes.js';
import { useSession } from '../session/session-context.js';
import { useTenant } from '../session/tenant-context.js';

export function RecentRequests({ keyId }: { keyId: string }) {
  const { api, deployment } = useSession();
  const { tenantId } = useTenant();
  const logs = useLoad(() => api.requestLogs(tenantId, { key_id: keyId, limit: 10 }), [api, tenantId, keyId]);
  return (
    <section className="card" aria-labelledby="recent-title">
      <div className="page-head">
        <h2 id="recent-title">Recent requests</h2>
        <div className="actions">
          <button type="button" className="button" onClick={logs.reload}>
            Refresh requests
          </button>
          <Link href={hrefFor({ page: 'logs', keyId }, tenantId)}>All requests of this key</Link>
        </div>
      </div>
      <ErrorAlert error={logs.error} />
      {logs.data && logs.data.data.length === 0 && <p className="muted">{NO_KEY_REQUESTS[deployment.request_log]}</p>}
      {logs.data && logs.data.data.length > 0 && <RequestLogTable logs={logs.data.data} label="Recent requests" />}
    </section>
  );
}
