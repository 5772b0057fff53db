import { useSyncExternalStore } from 'react';
import type { Screen } from '../routes';
import { session, type SessionState } from './session';

/** The current session (null when signed out); re-renders on sign-in, renewal and sign-out. */
export function useSession(): SessionState | null {
  return useSyncExternalStore(session.subscribe, session.getSnapshot);
}

export function hasAnyRole(state: SessionState | null, roles: readonly string[]): boolean {
  return !!state && state.user.roles.some((role) => roles.includes(role));
}

/** A screen is offered when it belongs to this kind of server and the user has one of its roles. */
export function mayOpen(state: SessionState | null, screen: Screen): boolean {
  return !!state && (screen.server ?? 'node') === state.server && hasAnyRole(state, screen.roles);
}
