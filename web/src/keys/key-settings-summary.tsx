// A key's settings where they cannot change: for developers and viewers, and for revoked or expired keys.
import type { ApiKey } from '../api/types.js';

function List({ items, empty }: { items: string[]; empty: string }) {
  if (items.length === 0) return <span className="muted">{empty}</span>;
  return (
    <ul className="plain-list">
      {items.map((item) => (
        <li key={item}>
          <code>{item}</code>
        </li>
      ))}
    </ul>
  );
}

export function KeySettingsSummary({ apiKey }: { apiKey: ApiKey }) {
  return (
    <section className="card" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      <dl className="facts">
        <div>
          <dt>Scopes</dt>
          <dd>
            <List items={apiKey.scopes} empty="no scopes" />
          </dd>
        </div>
        <div>
          <dt>Rate limit</dt>
          <dd>
            {apiKey.rate_limit.requests_per_minute} requests per minute (burst {apiKey.rate_limit.burst})
          </dd>
        </div>
        <div>
          <dt>Allowed IPs</dt>
          <dd>
            <List items={apiKey.allowed_ips} empty="any address" />
          </dd>
        </div>
        <div>
          <dt>Customer IDs</dt>
          <dd>
            <List items={apiKey.customer_ids} empty="all customers" />
          </dd>
        </div>
        <div>
          <dt>Meta</dt>
          <dd>
            <pre className="code-block">{JSON.stringify(apiKey.meta, null, 2)}</pre>
          </dd>
        </div>
      </dl>
    </section>
  );
}
