// The request log of the tenant: filters (key, status, time range), table, pages.
import { useCursorPages } from '../components/cursor-pages.js';
import { ErrorAlert } from '../components/error-alert.js';
import { ExportLinks } from '../components/export-links.js';
import { Pager } from '../components/pager.js';
import { useLoad } from '../components/use-load.js';
import { useRetryFailed } from '../components/use-retry-failed.js';
import { navigate } from '../router/navigation.js';
import { hrefFor, type LogListFilters } from '../router/routes.js';
import { useSession } from '../session/session-context.js';
import { useTenant } from '../session/tenant-context.js';
import { useKeysById } from '../keys/use-keys-by-id.js';
import { addressProblems, formFilters, keyFilterFound, type LogFilters, NO_FILTERS, queryOfFilters } from './log-filters.js';
import { KEYS_OFFERED } from './key-picker.js';
import { LogFiltersForm } from './log-filters-form.js';
import { LOG_HOLDS } from './request-log-setting.js';
import { RequestLogTable } from './request-log-table.js';

/** Says which filters of the address could not be applied, in place of rows that would seem filtered by them. */
function AddressProblems({ problems }: { problems: string[] }) {
  return (
    <div className="alert alert-warn" role="status">
      <p>These filters from the address could not be applied, so no requests are shown:</p>
      <ul>
        {problems.map((problem) => (
          <li key={problem}>{problem}</li>
        ))}
      </ul>
      <p>Correct them above and press “Apply filters”, or press “Clear filters”.</p>
    </div>
  );
}

/** `route` holds the filters in the address, so that a reload or a shared link keeps them and Back restores the ones before. */
export function RequestLogsPage({ filters: route }: { filters: LogListFilters }) {
  const { api, deployment } = useSession();
  const { tenantId } = useTenant();
  const filters: LogFilters = { ...NO_FILTERS, ...route };
  const query = queryOfFilters(filters);
  const queryText = JSON.stringify(query);
  const pages = useCursorPages(queryText);
  // The tenant's newest keys, in one request: the options of the key filter (which finds the others by search) and
  // the names of the key column, where rows of other keys are named by `useKeysById`. A large tenant's whole list
  // took seconds and hundreds of requests to read.
  const keys = useLoad(() => api.keys.list(tenantId, { limit: KEYS_OFFERED }), [api, tenantId]);
  // The key of the key filter (a link from a key's page) is read by itself: whether it is the tenant's, and its name.
  const filterKey = useLoad(() => (filters.keyId === '' ? Promise.resolve(null) : api.keys.get(tenantId, filters.keyId)), [api, tenantId, filters.keyId]);
  const keyFound = keyFilterFound(filters.keyId, filterKey);
  const listed = keys.data?.data ?? [];
  const chosen = keyFound === true && filterKey.data ? filterKey.data.key : null;
  const known = chosen && !listed.some((k) => k.id === chosen.id) ? [chosen, ...listed] : listed;
  const logs = useLoad(() => api.requestLogs(tenantId, { ...query, cursor: pages.cursor, limit: 50 }), [api, tenantId, queryText, pages.cursor]);
  useRetryFailed(keys, logs.data);
  const keysById = useKeysById(
    logs.data,
    logs.data?.data.map((log) => log.key_id) ?? [],
    new Map(known.map((k) => [k.id, k])),
    !keys.loading,
  );
  // While a filter of the address cannot be applied, the rows would pass for filtered by it: none are shown.
  const problems = addressProblems(filters, keyFound);
  const showLogs = problems.length === 0;

  return (
    <section aria-labelledby="logs-title">
      <div className="page-head">
        <div>
          <h1 id="logs-title">Request logs</h1>
          <p className="muted">{LOG_HOLDS[deployment.request_log]}</p>
        </div>
        <div className="page-actions">
          {showLogs && <ExportLinks href={(format) => api.exports.requestLogs(tenantId, query, format)} what="request logs" />}
          <button type="button" className="button" onClick={logs.reload}>
            Refresh
          </button>
        </div>
      </div>
      <LogFiltersForm
        // A new address (Back, a link) brings its own filters into the form.
        key={JSON.stringify(filters)}
        initial={formFilters(filters)}
        known={known}
        moreKeys={Boolean(keys.data?.next_cursor)}
        onApply={(next) => {
          navigate(hrefFor({ page: 'logs', ...next }, tenantId));
          pages.reset();
        }}
      />
      {!showLogs && <AddressProblems problems={problems} />}
      {showLogs && (
        <>
          <ErrorAlert error={logs.error} />
          {logs.loading && !logs.data && <p role="status">Loading requests…</p>}
          {logs.data && logs.data.data.length === 0 && <p className="empty-state">No requests match these filters yet.</p>}
          {logs.data && logs.data.data.length > 0 && <RequestLogTable logs={logs.data.data} keys={keysById} label="Request logs" />}
          <Pager pages={pages} nextCursor={logs.data?.next_cursor} label="Request logs" />
        </>
      )}
    </section>
  );
}
