/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query OperatorApplications($status: ApplicationStatus) {\n    applications(status: $status, first: 100) {\n      nodes {\n        id\n        partnerId\n        name\n        endpoint\n        status\n        submittedAt\n        decidedAt\n        decisionReason\n        keys {\n          kid\n          curve\n          signedTheApplication\n        }\n      }\n    }\n  }\n": typeof types.OperatorApplicationsDocument,
    "\n  mutation OperatorApproveApplication($applicationId: ID!) {\n    approveApplication(applicationId: $applicationId) {\n      partnerId\n      status\n      validUntil\n    }\n  }\n": typeof types.OperatorApproveApplicationDocument,
    "\n  mutation OperatorRejectApplication($applicationId: ID!, $reason: String!) {\n    rejectApplication(applicationId: $applicationId, reason: $reason) {\n      id\n      status\n    }\n  }\n": typeof types.OperatorRejectApplicationDocument,
    "\n  query OperatorMembers {\n    members(first: 200) {\n      nodes {\n        partnerId\n        name\n        endpoint\n        status\n        statusReason\n        admittedAt\n        validUntil\n        statementExpiresAt\n        keys {\n          kid\n          state\n        }\n      }\n    }\n    agreements(first: 200) {\n      nodes {\n        agreementId\n        partyA\n        partyB\n        state\n      }\n    }\n  }\n": typeof types.OperatorMembersDocument,
    "\n  mutation OperatorSuspendMember($partnerId: String!, $reason: String!) {\n    suspendMember(partnerId: $partnerId, reason: $reason) {\n      partnerId\n      status\n      statusReason\n    }\n  }\n": typeof types.OperatorSuspendMemberDocument,
    "\n  mutation OperatorReinstateMember($partnerId: String!) {\n    reinstateMember(partnerId: $partnerId) {\n      partnerId\n      status\n    }\n  }\n": typeof types.OperatorReinstateMemberDocument,
    "\n  mutation OperatorRenewMembership($partnerId: String!, $validUntil: DateTime) {\n    renewMembership(partnerId: $partnerId, validUntil: $validUntil) {\n      partnerId\n      validUntil\n    }\n  }\n": typeof types.OperatorRenewMembershipDocument,
    "\n  query OperatorAgreements($state: AgreementState, $party: String, $after: String) {\n    agreements(state: $state, party: $party, first: 50, after: $after) {\n      nodes {\n        agreementId\n        partyA\n        partyB\n        direction\n        purposes\n        categories\n        retentionDays\n        minCohortSize\n        state\n        validFrom\n        validUntil\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.OperatorAgreementsDocument,
    "\n  query OperatorConsentRegistry {\n    consentRegistry {\n      total\n      live\n      withdrawn\n      subjectTokens\n      byController {\n        controller\n        total\n        withdrawn\n      }\n    }\n  }\n": typeof types.OperatorConsentRegistryDocument,
    "\n  query OperatorRefusals($reason: String, $issuer: String, $from: DateTime, $to: DateTime, $after: String) {\n    refusals(reason: $reason, issuer: $issuer, from: $from, to: $to, first: 50, after: $after) {\n      nodes {\n        id\n        reason\n        kind\n        route\n        issuer\n        message\n        count\n        refusedAt\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    refusalReasons\n  }\n": typeof types.OperatorRefusalsDocument,
    "\n  query OperatorRelayTraffic($from: DateTime) {\n    relayTraffic(from: $from) {\n      fromPartner\n      toPartner\n      historyRequests\n      envelopes\n      withdrawals\n      failed\n      lastAt\n    }\n  }\n": typeof types.OperatorRelayTrafficDocument,
    "\n  query OperatorLedger {\n    federationLedgerHead {\n      origin\n      size\n      rootHash\n      pending\n      latestCheckpoint {\n        size\n        createdAt\n      }\n    }\n    federationLedgerCheckpoints(first: 20) {\n      nodes {\n        size\n        rootHash\n        signerKid\n        createdAt\n      }\n    }\n  }\n": typeof types.OperatorLedgerDocument,
    "\n  mutation OperatorSignCheckpoint {\n    signFederationLedgerCheckpoint {\n      size\n      createdAt\n    }\n  }\n": typeof types.OperatorSignCheckpointDocument,
    "\n  query OperatorExportLedger {\n    exportFederationLedger\n  }\n": typeof types.OperatorExportLedgerDocument,
    "\n  query OperatorFederationKeys {\n    federationKeys {\n      kid\n      status\n      createdAt\n      activatesAt\n      retiredAt\n    }\n  }\n": typeof types.OperatorFederationKeysDocument,
    "\n  mutation OperatorRotateFederationKey($graceSeconds: Int) {\n    rotateFederationKey(graceSeconds: $graceSeconds) {\n      kid\n      status\n      activatesAt\n    }\n  }\n": typeof types.OperatorRotateFederationKeyDocument,
};
const documents: Documents = {
    "\n  query OperatorApplications($status: ApplicationStatus) {\n    applications(status: $status, first: 100) {\n      nodes {\n        id\n        partnerId\n        name\n        endpoint\n        status\n        submittedAt\n        decidedAt\n        decisionReason\n        keys {\n          kid\n          curve\n          signedTheApplication\n        }\n      }\n    }\n  }\n": types.OperatorApplicationsDocument,
    "\n  mutation OperatorApproveApplication($applicationId: ID!) {\n    approveApplication(applicationId: $applicationId) {\n      partnerId\n      status\n      validUntil\n    }\n  }\n": types.OperatorApproveApplicationDocument,
    "\n  mutation OperatorRejectApplication($applicationId: ID!, $reason: String!) {\n    rejectApplication(applicationId: $applicationId, reason: $reason) {\n      id\n      status\n    }\n  }\n": types.OperatorRejectApplicationDocument,
    "\n  query OperatorMembers {\n    members(first: 200) {\n      nodes {\n        partnerId\n        name\n        endpoint\n        status\n        statusReason\n        admittedAt\n        validUntil\n        statementExpiresAt\n        keys {\n          kid\n          state\n        }\n      }\n    }\n    agreements(first: 200) {\n      nodes {\n        agreementId\n        partyA\n        partyB\n        state\n      }\n    }\n  }\n": types.OperatorMembersDocument,
    "\n  mutation OperatorSuspendMember($partnerId: String!, $reason: String!) {\n    suspendMember(partnerId: $partnerId, reason: $reason) {\n      partnerId\n      status\n      statusReason\n    }\n  }\n": types.OperatorSuspendMemberDocument,
    "\n  mutation OperatorReinstateMember($partnerId: String!) {\n    reinstateMember(partnerId: $partnerId) {\n      partnerId\n      status\n    }\n  }\n": types.OperatorReinstateMemberDocument,
    "\n  mutation OperatorRenewMembership($partnerId: String!, $validUntil: DateTime) {\n    renewMembership(partnerId: $partnerId, validUntil: $validUntil) {\n      partnerId\n      validUntil\n    }\n  }\n": types.OperatorRenewMembershipDocument,
    "\n  query OperatorAgreements($state: AgreementState, $party: String, $after: String) {\n    agreements(state: $state, party: $party, first: 50, after: $after) {\n      nodes {\n        agreementId\n        partyA\n        partyB\n        direction\n        purposes\n        categories\n        retentionDays\n        minCohortSize\n        state\n        validFrom\n        validUntil\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.OperatorAgreementsDocument,
    "\n  query OperatorConsentRegistry {\n    consentRegistry {\n      total\n      live\n      withdrawn\n      subjectTokens\n      byController {\n        controller\n        total\n        withdrawn\n      }\n    }\n  }\n": types.OperatorConsentRegistryDocument,
    "\n  query OperatorRefusals($reason: String, $issuer: String, $from: DateTime, $to: DateTime, $after: String) {\n    refusals(reason: $reason, issuer: $issuer, from: $from, to: $to, first: 50, after: $after) {\n      nodes {\n        id\n        reason\n        kind\n        route\n        issuer\n        message\n        count\n        refusedAt\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    refusalReasons\n  }\n": types.OperatorRefusalsDocument,
    "\n  query OperatorRelayTraffic($from: DateTime) {\n    relayTraffic(from: $from) {\n      fromPartner\n      toPartner\n      historyRequests\n      envelopes\n      withdrawals\n      failed\n      lastAt\n    }\n  }\n": types.OperatorRelayTrafficDocument,
    "\n  query OperatorLedger {\n    federationLedgerHead {\n      origin\n      size\n      rootHash\n      pending\n      latestCheckpoint {\n        size\n        createdAt\n      }\n    }\n    federationLedgerCheckpoints(first: 20) {\n      nodes {\n        size\n        rootHash\n        signerKid\n        createdAt\n      }\n    }\n  }\n": types.OperatorLedgerDocument,
    "\n  mutation OperatorSignCheckpoint {\n    signFederationLedgerCheckpoint {\n      size\n      createdAt\n    }\n  }\n": types.OperatorSignCheckpointDocument,
    "\n  query OperatorExportLedger {\n    exportFederationLedger\n  }\n": types.OperatorExportLedgerDocument,
    "\n  query OperatorFederationKeys {\n    federationKeys {\n      kid\n      status\n      createdAt\n      activatesAt\n      retiredAt\n    }\n  }\n": types.OperatorFederationKeysDocument,
    "\n  mutation OperatorRotateFederationKey($graceSeconds: Int) {\n    rotateFederationKey(graceSeconds: $graceSeconds) {\n      kid\n      status\n      activatesAt\n    }\n  }\n": types.OperatorRotateFederationKeyDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OperatorApplications($status: ApplicationStatus) {\n    applications(status: $status, first: 100) {\n      nodes {\n        id\n        partnerId\n        name\n        endpoint\n        status\n        submittedAt\n        decidedAt\n        decisionReason\n        keys {\n          kid\n          curve\n          signedTheApplication\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query OperatorApplications($status: ApplicationStatus) {\n    applications(status: $status, first: 100) {\n      nodes {\n        id\n        partnerId\n        name\n        endpoint\n        status\n        submittedAt\n        decidedAt\n        decisionReason\n        keys {\n          kid\n          curve\n          signedTheApplication\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OperatorApproveApplication($applicationId: ID!) {\n    approveApplication(applicationId: $applicationId) {\n      partnerId\n      status\n      validUntil\n    }\n  }\n"): (typeof documents)["\n  mutation OperatorApproveApplication($applicationId: ID!) {\n    approveApplication(applicationId: $applicationId) {\n      partnerId\n      status\n      validUntil\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OperatorRejectApplication($applicationId: ID!, $reason: String!) {\n    rejectApplication(applicationId: $applicationId, reason: $reason) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation OperatorRejectApplication($applicationId: ID!, $reason: String!) {\n    rejectApplication(applicationId: $applicationId, reason: $reason) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OperatorMembers {\n    members(first: 200) {\n      nodes {\n        partnerId\n        name\n        endpoint\n        status\n        statusReason\n        admittedAt\n        validUntil\n        statementExpiresAt\n        keys {\n          kid\n          state\n        }\n      }\n    }\n    agreements(first: 200) {\n      nodes {\n        agreementId\n        partyA\n        partyB\n        state\n      }\n    }\n  }\n"): (typeof documents)["\n  query OperatorMembers {\n    members(first: 200) {\n      nodes {\n        partnerId\n        name\n        endpoint\n        status\n        statusReason\n        admittedAt\n        validUntil\n        statementExpiresAt\n        keys {\n          kid\n          state\n        }\n      }\n    }\n    agreements(first: 200) {\n      nodes {\n        agreementId\n        partyA\n        partyB\n        state\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OperatorSuspendMember($partnerId: String!, $reason: String!) {\n    suspendMember(partnerId: $partnerId, reason: $reason) {\n      partnerId\n      status\n      statusReason\n    }\n  }\n"): (typeof documents)["\n  mutation OperatorSuspendMember($partnerId: String!, $reason: String!) {\n    suspendMember(partnerId: $partnerId, reason: $reason) {\n      partnerId\n      status\n      statusReason\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OperatorReinstateMember($partnerId: String!) {\n    reinstateMember(partnerId: $partnerId) {\n      partnerId\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation OperatorReinstateMember($partnerId: String!) {\n    reinstateMember(partnerId: $partnerId) {\n      partnerId\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OperatorRenewMembership($partnerId: String!, $validUntil: DateTime) {\n    renewMembership(partnerId: $partnerId, validUntil: $validUntil) {\n      partnerId\n      validUntil\n    }\n  }\n"): (typeof documents)["\n  mutation OperatorRenewMembership($partnerId: String!, $validUntil: DateTime) {\n    renewMembership(partnerId: $partnerId, validUntil: $validUntil) {\n      partnerId\n      validUntil\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OperatorAgreements($state: AgreementState, $party: String, $after: String) {\n    agreements(state: $state, party: $party, first: 50, after: $after) {\n      nodes {\n        agreementId\n        partyA\n        partyB\n        direction\n        purposes\n        categories\n        retentionDays\n        minCohortSize\n        state\n        validFrom\n        validUntil\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query OperatorAgreements($state: AgreementState, $party: String, $after: String) {\n    agreements(state: $state, party: $party, first: 50, after: $after) {\n      nodes {\n        agreementId\n        partyA\n        partyB\n        direction\n        purposes\n        categories\n        retentionDays\n        minCohortSize\n        state\n        validFrom\n        validUntil\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OperatorConsentRegistry {\n    consentRegistry {\n      total\n      live\n      withdrawn\n      subjectTokens\n      byController {\n        controller\n        total\n        withdrawn\n      }\n    }\n  }\n"): (typeof documents)["\n  query OperatorConsentRegistry {\n    consentRegistry {\n      total\n      live\n      withdrawn\n      subjectTokens\n      byController {\n        controller\n        total\n        withdrawn\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OperatorRefusals($reason: String, $issuer: String, $from: DateTime, $to: DateTime, $after: String) {\n    refusals(reason: $reason, issuer: $issuer, from: $from, to: $to, first: 50, after: $after) {\n      nodes {\n        id\n        reason\n        kind\n        route\n        issuer\n        message\n        count\n        refusedAt\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    refusalReasons\n  }\n"): (typeof documents)["\n  query OperatorRefusals($reason: String, $issuer: String, $from: DateTime, $to: DateTime, $after: String) {\n    refusals(reason: $reason, issuer: $issuer, from: $from, to: $to, first: 50, after: $after) {\n      nodes {\n        id\n        reason\n        kind\n        route\n        issuer\n        message\n        count\n        refusedAt\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    refusalReasons\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OperatorRelayTraffic($from: DateTime) {\n    relayTraffic(from: $from) {\n      fromPartner\n      toPartner\n      historyRequests\n      envelopes\n      withdrawals\n      failed\n      lastAt\n    }\n  }\n"): (typeof documents)["\n  query OperatorRelayTraffic($from: DateTime) {\n    relayTraffic(from: $from) {\n      fromPartner\n      toPartner\n      historyRequests\n      envelopes\n      withdrawals\n      failed\n      lastAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OperatorLedger {\n    federationLedgerHead {\n      origin\n      size\n      rootHash\n      pending\n      latestCheckpoint {\n        size\n        createdAt\n      }\n    }\n    federationLedgerCheckpoints(first: 20) {\n      nodes {\n        size\n        rootHash\n        signerKid\n        createdAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query OperatorLedger {\n    federationLedgerHead {\n      origin\n      size\n      rootHash\n      pending\n      latestCheckpoint {\n        size\n        createdAt\n      }\n    }\n    federationLedgerCheckpoints(first: 20) {\n      nodes {\n        size\n        rootHash\n        signerKid\n        createdAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OperatorSignCheckpoint {\n    signFederationLedgerCheckpoint {\n      size\n      createdAt\n    }\n  }\n"): (typeof documents)["\n  mutation OperatorSignCheckpoint {\n    signFederationLedgerCheckpoint {\n      size\n      createdAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OperatorExportLedger {\n    exportFederationLedger\n  }\n"): (typeof documents)["\n  query OperatorExportLedger {\n    exportFederationLedger\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OperatorFederationKeys {\n    federationKeys {\n      kid\n      status\n      createdAt\n      activatesAt\n      retiredAt\n    }\n  }\n"): (typeof documents)["\n  query OperatorFederationKeys {\n    federationKeys {\n      kid\n      status\n      createdAt\n      activatesAt\n      retiredAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OperatorRotateFederationKey($graceSeconds: Int) {\n    rotateFederationKey(graceSeconds: $graceSeconds) {\n      kid\n      status\n      activatesAt\n    }\n  }\n"): (typeof documents)["\n  mutation OperatorRotateFederationKey($graceSeconds: Int) {\n    rotateFederationKey(graceSeconds: $graceSeconds) {\n      kid\n      status\n      activatesAt\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;