import { useSyncExternalStore } from 'react';
import { session, type SessionState } from './session';

/** The current session (null when signed out); re-renders on sign-in, renewal and sign-out. */
export function useSession(): SessionState | null {
  return useSyncExternalStore(session.subscribe, session.getSnapshot);
}

export function hasAnyRole(state: SessionState | null, roles: readonly string[]): boolean {
  return !!state && state.user.roles.some((role) => roles.includes(role));
}
