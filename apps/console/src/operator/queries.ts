import { graphql } from '../gql-federation';

export const Applications = graphql(`
  query OperatorApplications($status: ApplicationStatus) {
    applications(status: $status, first: 100) {
      nodes {
        id
        partnerId
        name
        endpoint
        status
        submittedAt
        decidedAt
        decisionReason
        keys {
          kid
          curve
          signedTheApplication
        }
      }
    }
  }
`);

export const ApproveApplication = graphql(`
  mutation OperatorApproveApplication($applicationId: ID!) {
    approveApplication(applicationId: $applicationId) {
      partnerId
      status
      validUntil
    }
  }
`);

export const RejectApplication = graphql(`
  mutation OperatorRejectApplication($applicationId: ID!, $reason: String!) {
    rejectApplication(applicationId: $applicationId, reason: $reason) {
      id
      status
    }
  }
`);

export const Members = graphql(`
  query OperatorMembers {
    members(first: 200) {
      nodes {
        partnerId
        name
        endpoint
        status
        statusReason
        admittedAt
        validUntil
        statementExpiresAt
        keys {
          kid
          state
        }
      }
    }
    agreements(first: 200) {
      nodes {
        agreementId
        partyA
        partyB
        state
      }
    }
  }
`);

export const SuspendMember = graphql(`
  mutation OperatorSuspendMember($partnerId: String!, $reason: String!) {
    suspendMember(partnerId: $partnerId, reason: $reason) {
      partnerId
      status
      statusReason
    }
  }
`);

export const ReinstateMember = graphql(`
  mutation OperatorReinstateMember($partnerId: String!) {
    reinstateMember(partnerId: $partnerId) {
      partnerId
      status
    }
  }
`);

export const RenewMembership = graphql(`
  mutation OperatorRenewMembership($partnerId: String!, $validUntil: DateTime) {
    renewMembership(partnerId: $partnerId, validUntil: $validUntil) {
      partnerId
      validUntil
    }
  }
`);

export const Agreements = graphql(`
  query OperatorAgreements($state: AgreementState, $party: String, $after: String) {
    agreements(state: $state, party: $party, first: 50, after: $after) {
      nodes {
        agreementId
        partyA
        partyB
        direction
        purposes
        categories
        retentionDays
        minCohortSize
        state
        validFrom
        validUntil
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const ConsentRegistry = graphql(`
  query OperatorConsentRegistry {
    consentRegistry {
      total
      live
      withdrawn
      subjectTokens
      byController {
        controller
        total
        withdrawn
      }
    }
  }
`);

export const Refusals = graphql(`
  query OperatorRefusals($reason: String, $issuer: String, $from: DateTime, $to: DateTime, $after: String) {
    refusals(reason: $reason, issuer: $issuer, from: $from, to: $to, first: 50, after: $after) {
      nodes {
        id
        reason
        kind
        route
        issuer
        message
        count
        refusedAt
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
    refusalReasons
  }
`);

export const RelayTraffic = graphql(`
  query OperatorRelayTraffic($from: DateTime) {
    relayTraffic(from: $from) {
      fromPartner
      toPartner
      historyRequests
      envelopes
      withdrawals
      failed
      lastAt
    }
  }
`);

export const Ledger = graphql(`
  query OperatorLedger {
    federationLedgerHead {
      origin
      size
      rootHash
      pending
      latestCheckpoint {
        size
        createdAt
      }
    }
    federationLedgerCheckpoints(first: 20) {
      nodes {
        size
        rootHash
        signerKid
        createdAt
      }
    }
  }
`);

export const SignCheckpoint = graphql(`
  mutation OperatorSignCheckpoint {
    signFederationLedgerCheckpoint {
      size
      createdAt
    }
  }
`);

export const ExportLedger = graphql(`
  query OperatorExportLedger {
    exportFederationLedger
  }
`);

export const FederationKeys = graphql(`
  query OperatorFederationKeys {
    federationKeys {
      kid
      status
      createdAt
      activatesAt
      retiredAt
    }
  }
`);

export const RotateFederationKey = graphql(`
  mutation OperatorRotateFederationKey($graceSeconds: Int) {
    rotateFederationKey(graceSeconds: $graceSeconds) {
      kid
      status
      activatesAt
    }
  }
`);
