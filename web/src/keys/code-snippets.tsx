// Ready-to-paste curl, JavaScript and Python calls of the connectivity check with the new key.
import { useState } from 'react';
import { CopyButton } from '../components/copy-button.js';
import { useTenant } from '../session/tenant-context.js';
import { keySnippets } from './snippets.js';

export function CodeSnippets({ url, secret }: { url: string; secret: string }) {
  const snippets = keySnippets(url, secret);
  const { tenant } = useTenant();
  const [shown, setShown] = useState(snippets[0]?.id ?? 'curl');
  const current = snippets.find((s) => s.id === shown) ?? snippets[0];
  if (!current) return null;
  return (
    <section className="snippets" aria-labelledby="snippets-title">
      <h3 id="snippets-title">Try it</h3>
      <p className="hint">
        Checks the key against this tenant's limits endpoint;{' '}
        {tenant === null || tenant.status === 'active'
          ? 'a working key answers 200.'
          : `while the tenant is ${tenant.status}, it answers 403 tenant_not_active, and 200 once an operator makes the tenant active.`}
      </p>
      <div role="tablist" aria-label="Snippet language" className="tabs">
        {snippets.map((s) => (
          <button
            key={s.id}
            type="button"
            role="tab"
            id={`snippet-tab-${s.id}`}
            aria-selected={s.id === current.id}
            aria-controls="snippet-panel"
            tabIndex={s.id === current.id ? 0 : -1}
            className="tab"
            onClick={() => setShown(s.id)}
            onKeyDown={(e) => {
              if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
              const at = snippets.indexOf(s) + (e.key === 'ArrowRight' ? 1 : -1);
              const next = snippets[(at + snippets.length) % snippets.length];
              if (next) {
                setShown(next.id);
                document.getElementById(`snippet-tab-${next.id}`)?.focus();
              }
            }}
          >
            {s.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="snippet-panel" aria-labelledby={`snippet-tab-${current.id}`}>
        <pre className="code-block" id="snippet-code" tabIndex={0}>
          <code>{current.code}</code>
        </pre>
        <CopyButton text={current.code} targetId="snippet-code" label={`Copy ${current.label} snippet`} />
      </div>
    </section>
  );
}
