import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { SharedHistoryReasonInput } from '../gql/graphql';

/** Why the agent reads the partners' shared history: one care case or interaction of the customer. */
export interface SharedHistoryReason {
  kind: 'case' | 'interaction';
  id: string;
}

const PARAM = 'reason';
// A case or an interaction stops being a reason 30 days after it closed or occurred (the server's rule).
export const REASON_WINDOW_MS = 30 * 24 * 3600 * 1000;

/** `case:<id>` / `interaction:<id>` (the URL's form) to a reason; anything else is no reason. */
export function parseReason(value: string | null): SharedHistoryReason | null {
  const match = /^(case|interaction):(.+)$/.exec(value ?? '');
  return match ? { kind: match[1] as SharedHistoryReason['kind'], id: match[2]! } : null;
}

export function formatReason(reason: SharedHistoryReason): string {
  return `${reason.kind}:${reason.id}`;
}

export function reasonInput(reason: SharedHistoryReason): SharedHistoryReasonInput {
  return reason.kind === 'case' ? { careCaseId: reason.id } : { interactionId: reason.id };
}

/**
 * The reason lives in the URL's search params (`?reason=case:<id>`), so reload and back/forward keep
 * it; choosing one pushes a history entry.
 */
export function useSharedHistoryReason(): [SharedHistoryReason | null, (r: SharedHistoryReason) => void] {
  const [params, setParams] = useSearchParams();
  const raw = params.get(PARAM);
  const reason = useMemo(() => parseReason(raw), [raw]);
  const choose = useCallback(
    (next: SharedHistoryReason) =>
      setParams((prev) => {
        const updated = new URLSearchParams(prev);
        updated.set(PARAM, formatReason(next));
        return updated;
      }),
    [setParams],
  );
  return [reason, choose];
}
