// The signed-in session shared by every page: the API, who is signed in, the deployment's settings.
import { createContext, useContext } from 'react';
import type { LatchkeyApi } from '../api/latchkey-api.js';
import type { Deployment, Me } from '../api/types.js';

export interface Session {
  api: LatchkeyApi;
  me: Me;
  deployment: Deployment;
  /** Ends the session on the server, then shows sign-in; rejects, and the user stays signed in, when the server did not end it. */
  signOut: () => Promise<void>;
  /** Reads who is signed in again, after a change to the person's own roles or memberships. */
  refreshMe: () => Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === null) throw new Error('useSession outside a signed-in session');
  return session;
}
