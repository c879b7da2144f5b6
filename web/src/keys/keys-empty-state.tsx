// What a tenant without keys sees: what a key is for, and the connectivity check to run once one exists.
import { useSession } from '../session/session-context.js';
import { useTenant } from '../session/tenant-context.js';
import { limitsUrl } from './key-facts.js';
import { createKeyBlocked, keysRefused } from './plan-keys.js';
import { connectivityCheck } from './snippets.js';

export function KeysEmptyState() {
  const { deployment } = useSession();
  const { tenantId, tenant, plan, canManage } = useTenant();
  const command = connectivityCheck(limitsUrl(deployment.public_url, tenantId));
  const next = createKeyBlocked(plan)
    ? 'Once the tenant is on a plan with API access and has a key, check that it works:'
    : canManage
      ? 'Create a key, then check that it works:'
      : 'Once an owner or admin creates a key, check that it works:';
  return (
    <section className="empty-state" aria-labelledby="no-keys-title">
      <h2 id="no-keys-title">No API keys yet</h2>
      <p>
        An API key lets one of your programs (a backend job, an integration, a partner's server) call the API on behalf of this tenant, without a
        person signing in. Give each program its own key, with only the scopes it needs, so you can rotate or revoke it on its own.
      </p>
      <p>{next}</p>
      <pre className="code-block" aria-label="Connectivity check command">
        <code>{command}</code>
      </pre>
      <p className="hint">
        Put the key in the <code>LATCHKEY_KEY</code> environment variable first. A working key answers 200 with the tenant's plan and the key's rate
        limit{keysRefused(tenant) ? ', once the tenant is active' : ''}.
      </p>
    </section>
  );
}
