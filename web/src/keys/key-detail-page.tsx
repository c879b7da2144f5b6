// One key: its facts, lifecycle actions, rotation follow-up, settings, usage chart and recent requests.
import { useRef, useState } from 'react';
import { errorText } from '../api/api-error.js';
import type { IssuedKey, KeyAtVersion } from '../api/types.js';
import { EnvironmentBadge, KeyStatusBadge } from '../components/badges.js';
import { ErrorAlert } from '../components/error-alert.js';
import { useLoad } from '../components/use-load.js';
import { Link } from '../router/navigation.js';
import { hrefFor } from '../router/routes.js';
import { useSession } from '../session/session-context.js';
import { useTenant } from '../session/tenant-context.js';
import { KeyActions } from './key-actions.js';
import { isLive } from './key-facts.js';
import { KeyFacts } from './key-facts-list.js';
import { KeySettingsForm } from './key-settings-form.js';
import { KeySettingsSummary } from './key-settings-summary.js';
import { KeyFlags } from './key-flags.js';
import { keysRefused } from './plan-keys.js';
import { RecentRequests } from './recent-requests.js';
import { RotationPanel } from './rotation-panel.js';
import { SecretRevealDialog } from './secret-reveal-dialog.js';
import { UsageSection } from './usage-section.js';

export function KeyDetailPage({ keyId }: { keyId: string }) {
  const { api } = useSession();
  const { tenantId, tenant, canManage } = useTenant();
  const refused = keysRefused(tenant);
  const loaded = useLoad(() => api.keys.get(tenantId, keyId), [api, tenantId, keyId]);
  const [reveal, setReveal] = useState<{ title: string; issued: IssuedKey } | null>(null);
  const [round, setRound] = useState(0);
  // A 409 that showed this page to be out of date: the key is read again, and the page says why it changed.
  const [outdated, setOutdated] = useState<unknown>(null);
  // Focus after a secret's Done when the button that started it is gone: a rotated key has no "Rotate key" any more.
  const rotationHeading = useRef<HTMLHeadingElement>(null);
  // The key with its version, which a save of its settings requires.
  const current = loaded.data;
  const key = current?.key;

  function changed(next: KeyAtVersion) {
    loaded.setData(next);
    setOutdated(null);
    setRound((r) => r + 1);
    // Regenerate and rotate answer without the key's version: the key is read again for it, so that a save of the
    // settings after them is made on the key as they left it.
    if (next.version === null) loaded.reload();
  }

  function reloadOutdated(conflict: unknown) {
    setOutdated(conflict);
    loaded.reload();
  }

  return (
    <section aria-labelledby="key-title">
      <Link className="back-link" href={hrefFor({ page: 'keys' }, tenantId)}>
        ← All keys
      </Link>
      {/* A key that cannot be read (unknown address, no access, server down) still gets a heading for the page. */}
      {!key && loaded.error !== null && <h1 id="key-title">Key not shown</h1>}
      <ErrorAlert error={loaded.error} />
      {!key && loaded.loading && <p role="status">Loading key…</p>}
      {key && (
        <>
          <div className="page-head">
            <div>
              <h1 id="key-title">{key.name}</h1>
              <p className="badges">
                <EnvironmentBadge environment={key.environment} /> <KeyStatusBadge status={key.status} /> <KeyFlags apiKey={key} now={Date.now()} />
              </p>
            </div>
          </div>
          {refused && <p className="alert alert-warn">{refused}</p>}
          {outdated !== null && (
            <div className="alert alert-warn" role="alert">
              <p>{errorText(outdated)} The key was changed elsewhere (another tab, person or script); this page now shows it as it is.</p>
            </div>
          )}
          <KeyFacts apiKey={key} />
          {canManage && <KeyActions apiKey={key} onChanged={changed} onIssued={(title, issued) => setReveal({ title, issued })} onOutdated={reloadOutdated} />}
          {(key.rotated_to || key.rotated_from) && <RotationPanel key={`${key.id}/${round}`} apiKey={key} onChanged={() => loaded.reload()} headingRef={rotationHeading} />}
          <UsageSection keyId={key.id} />
          {canManage && isLive(key) && current ? (
            <KeySettingsForm key={key.id} current={current} onSaved={changed} onChangedMeanwhile={changed} onOutdated={reloadOutdated} />
          ) : (
            <KeySettingsSummary apiKey={key} />
          )}
          <RecentRequests keyId={key.id} />
        </>
      )}
      {reveal && (
        <SecretRevealDialog
          title={reveal.title}
          keyName={reveal.issued.key.name}
          tenantId={tenantId}
          secret={reveal.issued.secret}
          onClose={() => setReveal(null)}
          fallbackFocus={() => rotationHeading.current}
        />
      )}
    </section>
  );
}
