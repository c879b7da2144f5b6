// The top of the dashboard: find out whether someone is signed in, then show sign-in or the signed-in shell.
import { useCallback, useEffect, useState } from 'react';
import { ApiError } from './api/api-error.js';
import type { LatchkeyApi } from './api/latchkey-api.js';
import type { Deployment, Me } from './api/types.js';
import { SignInPage } from './auth/sign-in-page.js';
import { ErrorAlert } from './components/error-alert.js';
import { SessionContext } from './session/session-context.js';
import { StepUpLockProvider } from './session/step-up-lock-context.js';
import { Shell } from './shell/shell.js';

type State =
  | { phase: 'loading' }
  /** `sessionEnded`: the session ended while the dashboard was open (signed out elsewhere, idle or too old). */
  | { phase: 'signed-out'; sessionEnded: boolean }
  | { phase: 'failed'; error: unknown }
  | { phase: 'signed-in'; me: Me; deployment: Deployment };

export function App({ api }: { api: LatchkeyApi }) {
  const [state, setState] = useState<State>({ phase: 'loading' });

  const load = useCallback(async () => {
    setState({ phase: 'loading' });
    try {
      const me = await api.auth.me();
      api.http.setCsrfToken(me.csrf_token);
      const deployment = await api.deployment();
      setState({ phase: 'signed-in', me, deployment });
    } catch (error) {
      api.http.setCsrfToken(null);
      setState(error instanceof ApiError && error.status === 401 ? { phase: 'signed-out', sessionEnded: false } : { phase: 'failed', error });
    }
  }, [api]);

  const refreshMe = useCallback(async () => {
    try {
      const me = await api.auth.me();
      api.http.setCsrfToken(me.csrf_token);
      setState((current) => (current.phase === 'signed-in' ? { ...current, me } : current));
    } catch {
      // The page keeps what it showed; a lost session is reported by the API client on its own.
    }
  }, [api]);

  useEffect(() => {
    void load();
    // Only a session that was in use can end; a first visit's 401 just means nobody has signed in yet.
    const stopLost = api.http.onSessionLost(() => setState((current) => (current.phase === 'signed-in' ? { phase: 'signed-out', sessionEnded: true } : current)));
    // A 403 or 404 may mean a role or membership changed elsewhere: read them again so the pages offer only what is allowed.
    const stopDenied = api.http.onAccessDenied(() => void refreshMe());
    return () => {
      stopLost();
      stopDenied();
    };
  }, [api, load, refreshMe]);

  const signOut = useCallback(async () => {
    try {
      await api.auth.logout();
    } catch (error) {
      // A 401 means the session had already ended. Any other failure leaves it alive on the server (and in the
      // cookie), so showing the sign-in page would only pretend: the caller says so and the user stays signed in.
      if (!(error instanceof ApiError && error.status === 401)) throw error;
    }
    api.http.setCsrfToken(null);
    setState({ phase: 'signed-out', sessionEnded: false });
  }, [api]);

  switch (state.phase) {
    case 'loading':
      return <p className="loading-page" role="status">Loading…</p>;
    case 'signed-out':
      return <SignInPage api={api} sessionEnded={state.sessionEnded} onSignedIn={() => void load()} />;
    case 'failed':
      return (
        <main className="sign-in">
          <div className="card">
            <h1 className="brand">Latchkey</h1>
            <ErrorAlert error={state.error} />
            <button type="button" className="button" onClick={() => void load()}>
              Try again
            </button>
          </div>
        </main>
      );
    case 'signed-in':
      return (
        <SessionContext.Provider value={{ api, me: state.me, deployment: state.deployment, signOut, refreshMe }}>
          <StepUpLockProvider>
            <Shell />
          </StepUpLockProvider>
        </SessionContext.Provider>
      );
  }
}
