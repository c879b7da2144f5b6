// Shows a new secret exactly once (create, regenerate, rotate); it cannot close, nor the page be left, until the user says it is stored.
import { useState } from 'react';
import { CopyButton } from '../components/copy-button.js';
import { Dialog } from '../components/dialog.js';
import { useLeaveGuard } from '../router/navigation.js';
import { useSession } from '../session/session-context.js';
import { CodeSnippets } from './code-snippets.js';
import { limitsUrl } from './key-facts.js';

interface SecretRevealProps {
  title: string;
  keyName: string;
  tenantId: string;
  secret: string;
  onClose: () => void;
  /** Where focus goes after Done when the button that started the flow is gone (see Dialog). */
  fallbackFocus?: () => HTMLElement | null;
}

export function SecretRevealDialog({ title, keyName, tenantId, secret, onClose, fallbackFocus }: SecretRevealProps) {
  const { deployment } = useSession();
  const [stored, setStored] = useState(false);
  const [leaveHeld, setLeaveHeld] = useState(false);
  useLeaveGuard(!stored, () => setLeaveHeld(true));
  return (
    <Dialog title={title} onDismiss={stored ? onClose : undefined} describedBy="secret-warning" wide fallbackFocus={fallbackFocus}>
      <p className="alert alert-warn" id="secret-warning">
        <strong>Copy the secret of “{keyName}” now: you will not see it again.</strong> Latchkey keeps only a fingerprint of it. If it is lost,
        regenerate or rotate the key.
      </p>
      <div className="field">
        <label htmlFor="secret-value">Secret key</label>
        <div className="inline-field">
          <textarea
            id="secret-value"
            data-testid="secret-value"
            className="input mono secret"
            readOnly
            rows={2}
            value={secret}
            spellCheck={false}
            autoComplete="off"
            onFocus={(e) => e.target.select()}
          />
          <CopyButton text={secret} targetId="secret-value" label="Copy key" />
        </div>
      </div>
      <CodeSnippets url={limitsUrl(deployment.public_url, tenantId)} secret={secret} />
      {leaveHeld && !stored && (
        <p className="alert alert-warn" role="alert">
          You are still on this page: leaving would lose the secret. Store it and tick the box below first.
        </p>
      )}
      <label className="choice stored-check">
        <input type="checkbox" checked={stored} onChange={(e) => setStored(e.target.checked)} /> I have stored this key somewhere safe
      </label>
      <div className="actions dialog-actions">
        <button type="button" className="button button-primary" disabled={!stored} onClick={onClose}>
          Done
        </button>
      </div>
    </Dialog>
  );
}
