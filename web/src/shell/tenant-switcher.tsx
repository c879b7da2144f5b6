// The header's tenant select. A mouse choice switches at once; the keyboard only browses (Chrome fires `change` on
// every arrow key of a closed select, and switching then would move the user on each press: WCAG 3.2.2), and
// Enter or the "Switch" button that appears switches.
import { type KeyboardEvent, useRef, useState } from 'react';
import { navigate } from '../router/navigation.js';
import { hrefFor, type Route } from '../router/routes.js';
import { findTenant } from '../tenants/tenants-page.js';

export interface TenantOption {
  id: string;
  name: string;
}

/** The value of the last option, "Find another tenant…", offered when the select does not list every tenant. */
const FIND = '#find';

/** Keys that move a closed select to another option (the type-ahead letters do too). */
const BROWSING_KEYS = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End', 'PageUp', 'PageDown']);

/** Switching tenant keeps the page, except a key's page, which belongs to the old tenant. */
function pageAfterSwitch(route: Route): Route {
  return route.page === 'key' || route.page === 'not-found' ? { page: 'keys' } : route.page === 'logs' ? { page: 'logs' } : route;
}

interface TenantSwitcherProps {
  options: TenantOption[];
  /** True when tenants beyond `options` exist: a last option opens the Tenants page to find them. */
  more: boolean;
  tenantId: string | null;
  /** The name of the tenant shown, for when `options` lack it. */
  tenantName: string | null;
  route: Route;
}

export function TenantSwitcher({ options, more, tenantId, tenantName, route }: TenantSwitcherProps) {
  // A tenant browsed to with the keyboard and not yet switched to.
  const [browsed, setBrowsed] = useState<string | null>(null);
  const byKeyboard = useRef(false);
  const switchButton = useRef<HTMLButtonElement>(null);
  const listed = tenantId === null || options.some((o) => o.id === tenantId);
  const shown = browsed ?? tenantId ?? '';

  function switchTo(id: string) {
    setBrowsed(null);
    if (id === FIND) findTenant(tenantId);
    else if (id !== tenantId) navigate(hrefFor(pageAfterSwitch(route), id));
  }

  function onKeyDown(event: KeyboardEvent<HTMLSelectElement>) {
    if (event.key === 'Enter' && browsed !== null) {
      event.preventDefault();
      byKeyboard.current = false;
      switchTo(browsed);
      return;
    }
    // Alt+ArrowDown opens the list, and a choice made there is a choice, as with the mouse.
    byKeyboard.current = !event.altKey && (BROWSING_KEYS.has(event.key) || (event.key.length === 1 && event.key !== ' '));
  }

  return (
    <div className="tenant-switcher">
      <label htmlFor="tenant-switcher">Tenant</label>
      <select
        id="tenant-switcher"
        className="input"
        value={shown}
        onKeyDown={onKeyDown}
        onMouseDown={() => {
          byKeyboard.current = false;
        }}
        onChange={(event) => {
          const id = event.target.value;
          if (byKeyboard.current) setBrowsed(id === tenantId ? null : id);
          else switchTo(id);
        }}
        onBlur={(event) => {
          if (event.relatedTarget !== switchButton.current) setBrowsed(null);
        }}
      >
        {!listed && tenantId !== null && <option value={tenantId}>{tenantName ?? tenantId}</option>}
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
        {more && <option value={FIND}>Find another tenant…</option>}
      </select>
      {browsed !== null && (
        <button ref={switchButton} type="button" className="button" onClick={() => switchTo(browsed)} onBlur={() => setBrowsed(null)}>
          {browsed === FIND ? 'Find' : 'Switch'}
        </button>
      )}
    </div>
  );
}
