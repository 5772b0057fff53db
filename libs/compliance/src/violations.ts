/**
 * The kinds of compliance violation a node's audit looks for, and what each means. The checks
 * themselves are SQL over the node's tables (apps/partner-node/src/compliance); this catalogue is
 * the one place that names and explains them.
 */
export enum ViolationKind {
  SHARE_AFTER_WITHDRAWAL = 'share_after_withdrawal',
  SHARE_WITHOUT_LIVE_CONSENT = 'share_without_live_consent',
  SHARE_OUTSIDE_CONSENT = 'share_outside_consent',
  SHARE_OUTSIDE_AGREEMENT = 'share_outside_agreement',
  PURGE_UNCONFIRMED = 'purge_unconfirmed',
  RECEIVED_AFTER_WITHDRAWAL = 'received_after_withdrawal',
  RECEIVED_OUTSIDE_AGREEMENT = 'received_outside_agreement',
  RETENTION_EXCEEDED = 'retention_exceeded',
  ACCESS_AFTER_WITHDRAWAL = 'access_after_withdrawal',
}
export const VIOLATION_KINDS: readonly ViolationKind[] = Object.values(ViolationKind);

export const VIOLATION_DESCRIPTIONS: Readonly<Record<ViolationKind, string>> = {
  share_after_withdrawal:
    'A record was sent to a partner after the consent it was shared under was withdrawn.',
  share_without_live_consent:
    'A record was sent under a consent that does not exist here, was not registered with the federation, was not valid at that time, or does not name that recipient.',
  share_outside_consent:
    'A record was sent for a purpose or a data category its consent does not cover, or is not a record of the consent’s subject.',
  share_outside_agreement:
    'A record was sent under an agreement that is not in force with that recipient (never accepted, outside its validity, wrong direction), or outside its purposes or categories.',
  purge_unconfirmed:
    'A recipient has not returned a signed purge receipt for a withdrawn consent within the grace period.',
  received_after_withdrawal:
    'A partner’s record is still held here, or was stored, after the partner withdrew the consent it was shared under.',
  received_outside_agreement:
    'A partner’s record is held here under an agreement that does not let that partner share with this node, or outside its categories.',
  retention_exceeded:
    'A partner’s record is held here past its retention (or with a retention longer than its agreement allows).',
  access_after_withdrawal:
    'An agent saw a partner’s record after the consent it was shared under was withdrawn.',
};

/** Which side of a share a kind is about: this node sent the data, or received it. */
export function violationSide(kind: ViolationKind): 'holding' | 'receiving' {
  return kind.startsWith('share_') || kind === 'purge_unconfirmed' ? 'holding' : 'receiving';
}
