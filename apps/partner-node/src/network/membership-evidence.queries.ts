import { defineQueries } from '#platform/database/named-queries';

/**
 * The signed statements and keys that vouch for members, as the sharing module keeps them for
 * evidence (share_evidence) and for the auditor. Run by MembershipEvidenceRepository.
 */
export const MEMBERSHIP_EVIDENCE_QUERIES = defineQueries('network', {
  /** This node's own membership statement (one membership row, or none before admission). */
  ownStatement: `SELECT membership_statement AS statement FROM network_membership`,
  /** The membership statement of the directory member $1. */
  memberStatement: `SELECT statement FROM directory_member WHERE partner_id = $1`,
  /** The federation's keys as pinned by this node. */
  pinnedFederationKeys: `SELECT federation_jwks FROM network_membership`,
});
