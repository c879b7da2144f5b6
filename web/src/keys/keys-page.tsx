// The "API Access" page: the tenant's keys with filters and pages, and the create flow ending in the secret reveal.
import { useState } from 'react';
import { ENVIRONMENTS, type IssuedKey, KEY_STATUSES } from '../api/types.js';
import { useCursorPages } from '../components/cursor-pages.js';
import { ErrorAlert } from '../components/error-alert.js';
import { Pager } from '../components/pager.js';
import { useLoad } from '../components/use-load.js';
import { navigate } from '../router/navigation.js';
import { hrefFor, type KeyListFilters } from '../router/routes.js';
import { useSession } from '../session/session-context.js';
import { useTenant } from '../session/tenant-context.js';
import { CreateKeyDialog } from './create-key-dialog.js';
import { KeyFilters, type KeyListChoice } from './key-filters.js';
import { KeyTable } from './key-table.js';
import { KeysEmptyState } from './keys-empty-state.js';
import { createKeyBlocked, keysRefused } from './plan-keys.js';
import { SecretRevealDialog } from './secret-reveal-dialog.js';

/** One of `values`, or '' (no filter) for anything else an address may carry. */
function oneOf<T extends string>(values: readonly T[], value: string | undefined): T | '' {
  return values.find((v) => v === value) ?? '';
}

/** `filters` come from the address, so that a reload or a shared link keeps them and Back restores the ones before. */
export function KeysPage({ filters }: { filters: KeyListFilters }) {
  const { api } = useSession();
  const { tenantId, tenant, plan, role, canManage } = useTenant();
  const environment = oneOf(ENVIRONMENTS, filters.environment);
  const status = oneOf(KEY_STATUSES, filters.status);
  const search = filters.search ?? '';
  const pages = useCursorPages(JSON.stringify([environment, status, search]));
  const keys = useLoad(() => api.keys.list(tenantId, { environment, status, search, cursor: pages.cursor, limit: 50 }), [api, tenantId, environment, status, search, pages.cursor]);
  const [creating, setCreating] = useState(false);
  const [issued, setIssued] = useState<IssuedKey | null>(null);
  const filtered = environment !== '' || status !== '' || search !== '';
  const noKeysAtAll = !filtered && pages.pageNumber === 1 && keys.data?.data.length === 0;
  const blocked = createKeyBlocked(plan);
  const refused = keysRefused(tenant);

  function changeFilters(next: KeyListChoice, how: { typed: boolean }) {
    // Typing adds one step to Back (the list before the search), not one per pause.
    navigate(hrefFor({ page: 'keys', ...next }, tenantId), { replace: how.typed && search !== '' });
  }

  return (
    <section aria-labelledby="keys-title">
      <div className="page-head">
        <div>
          <h1 id="keys-title">API Access</h1>
          <p className="muted">Keys that let machines call the API of {tenant?.name ?? 'this tenant'}.</p>
          {/* Why there is no Create key: owners and admins manage keys. */}
          {!canManage && role !== null && <p className="muted">Your role ({role}) can look but not create or change keys.</p>}
        </div>
        {canManage && (
          <button
            type="button"
            className="button button-primary"
            disabled={blocked !== null}
            aria-describedby={blocked ? 'create-key-blocked' : undefined}
            onClick={() => setCreating(true)}
          >
            Create key
          </button>
        )}
      </div>
      {canManage && blocked && (
        <p className="alert alert-warn" id="create-key-blocked">
          {blocked}
        </p>
      )}
      {refused && <p className="alert alert-warn">{refused}</p>}
      {!noKeysAtAll && <KeyFilters environment={environment} status={status} search={search} onChange={changeFilters} />}
      <ErrorAlert error={keys.error} />
      {keys.loading && keys.data === undefined && <p role="status">Loading keys…</p>}
      {keys.data && keys.data.data.length === 0 && pages.pageNumber === 1 && (
        filtered ? <p className="empty-state" role="status">No key matches these filters.</p> : <KeysEmptyState />
      )}
      {keys.data && keys.data.data.length > 0 && <KeyTable keys={keys.data.data} />}
      <Pager pages={pages} nextCursor={keys.data?.next_cursor} label="Keys" />
      {creating && (
        <CreateKeyDialog
          onCancel={() => setCreating(false)}
          onCreated={(result) => {
            setCreating(false);
            setIssued(result);
            pages.reset();
            keys.reload();
          }}
        />
      )}
      {issued && (
        <SecretRevealDialog title="Key created" keyName={issued.key.name} tenantId={tenantId} secret={issued.secret} onClose={() => setIssued(null)} />
      )}
    </section>
  );
}
