import { useQuery } from '@apollo/client/react';
import { useCallback, useEffect, useState } from 'react';
import type { ComplianceTrustAnchorsQuery } from './gql/graphql';
import { TrustAnchors } from './queries';
import { jwkThumbprintWebCrypto, verifyJwsWithKeysWebCrypto, type Ed25519PublicKeyJwk } from './webcrypto';

/**
 * Which federation keys this browser trusts. The node serves the federation's keys, but the node
 * is what the officer is checking: so the officer pins the federation's key ids (RFC 7638
 * thumbprints, recomputed here) once, after comparing them with the ones the federation's operator
 * publishes, and from then on every check starts from the pinned keys, not from what the node
 * sends. A node that later serves other federation keys is shown as a mismatch. (docs/security.md)
 */
const PIN_STORAGE = 'concordia.compliance.pinnedFederationKeys';

interface StoredPin {
  federationId: string;
  kids: string[];
  pinnedAt: string;
}

function readAll(): Record<string, StoredPin> {
  try {
    return JSON.parse(localStorage.getItem(PIN_STORAGE) ?? '{}') as Record<string, StoredPin>;
  } catch {
    return {}; // an unreadable pin is no pin: the officer is asked again
  }
}

export function readPin(federationId: string): StoredPin | null {
  return readAll()[federationId] ?? null;
}

function writePin(federationId: string, kids: string[] | null): void {
  const all = readAll();
  if (kids) all[federationId] = { federationId, kids, pinnedAt: new Date().toISOString() };
  else delete all[federationId];
  localStorage.setItem(PIN_STORAGE, JSON.stringify(all));
}

export interface FederationKey {
  kid: string;
  /** The thumbprint recomputed here; equal to kid for a well-formed key. */
  thumbprint: string;
  pinned: boolean;
}

export type PinStatus = 'UNPINNED' | 'PINNED' | 'MISMATCH';

export interface Trust {
  ownPartnerId: string;
  federationId: string;
  federationKeys: FederationKey[];
  pinStatus: PinStatus;
  pinnedAt: string | null;
  /** Member id → keys its statement (verified under the anchor keys) vouches for. */
  vouched: Map<string, Ed25519PublicKeyJwk[]>;
  names: Map<string, string>;
  /** Member id → why its statement did not verify. */
  statementErrors: Map<string, string>;
}

type Anchors = ComplianceTrustAnchorsQuery['complianceTrustAnchors'];

async function buildTrust(anchors: Anchors): Promise<Trust> {
  const federationId = anchors.federationId ?? 'none';
  const pin = readPin(federationId);
  const served = (JSON.parse(anchors.federationJwks) as { keys: Ed25519PublicKeyJwk[] }).keys;
  const keys = await Promise.all(
    served.map(async (key) => ({ key, thumbprint: await jwkThumbprintWebCrypto(key) })),
  );
  const federationKeys = keys.map(({ key, thumbprint }) => ({
    kid: key.kid ?? '',
    thumbprint,
    pinned: pin?.kids.includes(thumbprint) ?? false,
  }));
  // The anchor: the pinned keys once pinned; before that, what the node serves (shown as unpinned).
  const anchorKeys = keys
    .filter(({ key, thumbprint }) =>
      pin
        ? pin.kids.includes(thumbprint)
        : key.kid === thumbprint && anchors.federationKids.includes(thumbprint),
    )
    .map(({ key, thumbprint }) => ({ ...key, kid: thumbprint }));
  const pinStatus: PinStatus = !pin ? 'UNPINNED' : anchorKeys.length > 0 ? 'PINNED' : 'MISMATCH';
  const vouched = new Map<string, Ed25519PublicKeyJwk[]>();
  const names = new Map<string, string>();
  const statementErrors = new Map<string, string>();
  for (const s of anchors.statements) {
    names.set(s.partnerId, s.name);
    try {
      const { header, claims } = await verifyJwsWithKeysWebCrypto(s.statement, anchorKeys);
      if (header.typ !== 'concordia-membership+jwt')
        throw new Error(`not a membership statement (${String(header.typ)})`);
      if (claims.sub !== s.partnerId) throw new Error(`the statement is about ${String(claims.sub)}`);
      const current = (claims.jwks as { keys: Ed25519PublicKeyJwk[] }).keys;
      const historical = ((claims.historicalKeys ?? []) as { jwk: Ed25519PublicKeyJwk }[]).map((h) => h.jwk);
      vouched.set(
        s.partnerId,
        [...current, ...historical].filter((k) => k.crv === 'Ed25519'),
      );
    } catch (error) {
      statementErrors.set(s.partnerId, error instanceof Error ? error.message : String(error));
    }
  }
  return {
    ownPartnerId: anchors.partnerId,
    federationId,
    federationKeys,
    pinStatus,
    pinnedAt: pin?.pinnedAt ?? null,
    vouched,
    names,
    statementErrors,
  };
}

/** The trust anchors, checked in this browser against the pinned federation keys. */
export function useTrust() {
  // Asked again on each screen: a member may have rotated its keys since.
  const query = useQuery(TrustAnchors, { fetchPolicy: 'network-only' });
  const [trust, setTrust] = useState<Trust | null>(null);
  const [version, setVersion] = useState(0);
  const anchors = query.data?.complianceTrustAnchors;
  useEffect(() => {
    if (!anchors) return;
    let live = true;
    void buildTrust(anchors).then((built) => {
      if (live) setTrust(built);
    });
    return () => {
      live = false;
    };
  }, [anchors, version]);
  const pin = useCallback(() => {
    if (!trust) return;
    writePin(
      trust.federationId,
      trust.federationKeys.filter((k) => k.kid === k.thumbprint).map((k) => k.thumbprint),
    );
    setVersion((v) => v + 1);
  }, [trust]);
  const unpin = useCallback(() => {
    if (!trust) return;
    writePin(trust.federationId, null);
    setVersion((v) => v + 1);
  }, [trust]);
  return { trust, error: query.error, pin, unpin };
}
