// The top bar: product name, tenant switcher, who is signed in, and sign-out.
import { useEffect, useRef, useState } from 'react';
import { errorText } from '../api/api-error.js';
import type { Route } from '../router/routes.js';
import { useSession } from '../session/session-context.js';
import { type TenantOption, TenantSwitcher } from './tenant-switcher.js';

interface HeaderProps {
  options: TenantOption[];
  /** True when there are tenants beyond `options` (an operator's first page): the switcher offers to find them. */
  more: boolean;
  tenantId: string | null;
  /** The shown tenant's name, once read: it names a tenant the options lack. */
  tenantName: string | null;
  route: Route;
}

export function Header({ options, more, tenantId, tenantName, route }: HeaderProps) {
  const { api, me, signOut } = useSession();
  const [signingOut, setSigningOut] = useState(false);
  const [signOutError, setSignOutError] = useState<unknown>(null);
  const failedAt = useRef(0);

  // "Could not be reached" is out of date once a call made after it succeeds (e.g. Refresh after the server is back);
  // one that was already under way when sign-out failed (a page still loading) tells nothing new.
  useEffect(() => {
    const stop = api.http.onSucceeded((startedAt) => {
      if (startedAt > failedAt.current) setSignOutError(null);
    });
    return () => {
      stop();
    };
  }, [api]);

  async function signOutHere() {
    if (signingOut) return;
    setSigningOut(true);
    setSignOutError(null);
    try {
      await signOut();
    } catch (error) {
      failedAt.current = performance.now();
      setSignOutError(error);
      setSigningOut(false);
    }
  }

  return (
    <header className="header">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <span className="brand">Latchkey</span>
      {options.length > 0 && <TenantSwitcher options={options} more={more} tenantId={tenantId} tenantName={tenantName} route={route} />}
      <div className="header-user">
        <span className="header-email" title={me.operator ? 'Operator: acts as owner in every tenant' : undefined}>
          {me.user.email}
          {me.operator && <span className="badge badge-info">operator</span>}
        </span>
        {/* aria-disabled, not disabled: a disabled button drops the keyboard focus, and a failed sign-out hands it back. */}
        <button type="button" className="button" onClick={() => void signOutHere()} aria-disabled={signingOut}>
          {signingOut ? 'Signing out…' : 'Sign out'}
        </button>
      </div>
      {signOutError !== null && (
        <div className="alert alert-error header-alert" role="alert">
          <p>Sign-out failed, so you are still signed in. {errorText(signOutError)}</p>
          <button type="button" className="button button-link" onClick={() => setSignOutError(null)}>
            Dismiss
          </button>
        </div>
      )}
    </header>
  );
}
