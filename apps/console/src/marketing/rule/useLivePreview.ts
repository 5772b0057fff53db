import { useApolloClient } from '@apollo/client/react';
import { useEffect, useRef, useState } from 'react';
import { describeError } from '../../lib/errors';
import { PreviewSegmentRule } from '../queries';

/** How long typing must pause before the rule is counted again. */
export const PREVIEW_DEBOUNCE_MS = 400;

export interface LivePreview {
  size: number | null;
  counting: boolean;
  /** The server's refusal of the rule: its path (`rule.all[0].value`) and message. */
  refusal: { field: string; message: string } | null;
  /** Anything else that went wrong (network, permission). */
  failure: string | null;
}

/**
 * The live size of a rule as it is edited (previewSegmentRule, debounced); an answer to an older
 * version of the rule is dropped, so the size shown is always the current rule's.
 */
export function useLivePreview(rule: unknown, enabled = true): LivePreview {
  const client = useApolloClient();
  const key = JSON.stringify(rule);
  const latest = useRef(0);
  const [state, setState] = useState<LivePreview>({
    size: null,
    counting: false,
    refusal: null,
    failure: null,
  });

  useEffect(() => {
    const ticket = ++latest.current;
    if (!enabled) {
      setState((s) => ({ ...s, counting: false, refusal: null }));
      return;
    }
    setState((s) => ({ ...s, counting: true }));
    const timer = setTimeout(() => {
      client
        .query({ query: PreviewSegmentRule, variables: { rule: JSON.parse(key) }, fetchPolicy: 'no-cache' })
        .then((result) => {
          if (ticket !== latest.current) return;
          if (result.error) throw result.error;
          setState({
            size: result.data?.previewSegmentRule.size ?? null,
            counting: false,
            refusal: null,
            failure: null,
          });
        })
        .catch((error: unknown) => {
          if (ticket !== latest.current) return;
          const info = describeError(error);
          setState((s) =>
            info.code === 'BAD_USER_INPUT' && info.field
              ? {
                  size: s.size,
                  counting: false,
                  refusal: { field: info.field, message: info.message },
                  failure: null,
                }
              : { size: s.size, counting: false, refusal: null, failure: info.message },
          );
        });
    }, PREVIEW_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [client, key, enabled]);

  return state;
}
