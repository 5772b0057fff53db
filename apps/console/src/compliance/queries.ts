import { graphql } from './gql';

export const TrustAnchors = graphql(`
  query ComplianceTrustAnchors {
    complianceTrustAnchors {
      partnerId
      federationId
      federationUrl
      federationJwks
      federationKids
      statements {
        partnerId
        name
        statement
      }
    }
  }
`);

export const ComplianceCustomer = graphql(`
  query ComplianceCustomer($id: ID!) {
    customer(id: $id) {
      id
      displayName
    }
  }
`);

export const LedgerInclusionFields = graphql(`
  fragment LedgerInclusionFields on LedgerInclusion {
    seq
    entry
    leafHash
    treeSize
    rootHash
    hashes
    checkpointNote
    verifierKey
    origin
    kind
    appendedAt
  }
`);

export const ConsentHistory = graphql(`
  query CustomerConsentHistory($id: ID!) {
    customerConsentHistory(customerId: $id) {
      customerId
      ledgerOrigin
      checkpointKey
      consents {
        noticeVersion
        consent {
          id
          status
          purposes
          categories
          recipients
          givenAt
          withdrawnAt
        }
        receipt {
          kind
          at
          jws
          ledger {
            ...LedgerInclusionFields
          }
        }
        withdrawal {
          kind
          at
          jws
          ledger {
            ...LedgerInclusionFields
          }
        }
      }
    }
  }
`);

export const DataFlows = graphql(`
  query CustomerDataFlows($id: ID!) {
    customerDataFlows(customerId: $id) {
      customerId
      receivedCopies
      shares {
        envelopeId
        recipient
        agreementId
        consentId
        categories
        channel
        records
        sentAt
        purgeStatus
        purgeRequestedAt
        purgeConfirmedAt
      }
      accesses {
        accessId
        accessedAt
        userName
        originPartnerIds
        consentIds
      }
    }
  }
`);

export const AccessReport = graphql(`
  query CustomerAccessReport($id: ID!) {
    customerAccessReport(customerId: $id) {
      html
      json
    }
  }
`);

export const ErasureFields = graphql(`
  fragment ErasureFields on ErasureRequest {
    id
    customerId
    reason
    requestedAt
    complete
    erased
    withdrawnConsentIds
    recipients {
      consentId
      recipient
      status
      confirmedAt
      recordsPurged
      receiptJws
      lastError
    }
  }
`);

export const ErasureRequests = graphql(`
  query ErasureRequests($first: Int) {
    erasureRequests(first: $first) {
      nodes {
        ...ErasureFields
      }
    }
  }
`);

export const EraseCustomer = graphql(`
  mutation EraseCustomer($customerId: ID!, $reason: String!) {
    eraseCustomer(customerId: $customerId, reason: $reason) {
      ...ErasureFields
    }
  }
`);

export const Violations = graphql(`
  query ComplianceViolations {
    complianceViolations {
      generatedAt
      total
      checks {
        kind
        count
        description
      }
      violations {
        kind
        side
        at
        partnerId
        consentId
        agreementId
        envelopeId
        recordId
        detail
      }
    }
  }
`);

export const Records = graphql(`
  query RecordsOfProcessing {
    recordsOfProcessing {
      controller
      federationId
      generatedAt
      ledgerSize
      securityMeasures
      ledgerCounts {
        kind
        count
      }
      activities {
        purpose
        description
        legalBasis
        categoriesOfDataSubjects
        categoriesOfData {
          category
          description
        }
        recipients
        sources
        retention
        consentsLive
        consentsWithdrawn
        consentsExpired
        transfers {
          partnerId
          agreementId
          direction
          safeguards
        }
      }
    }
  }
`);

export const LedgerOverview = graphql(`
  query LedgerOverview {
    ledgerHead {
      origin
      size
      rootHash
      pending
      checkpointKey
      latestCheckpoint {
        size
        rootHash
        createdAt
        signerKid
        signerName
        note
      }
    }
    ledgerCheckpoints(first: 10) {
      nodes {
        size
        rootHash
        createdAt
        signerKid
        note
      }
    }
    ledgerFederationCheckpoints(first: 10) {
      nodes {
        id
        origin
        size
        rootHash
        receivedAt
        status
      }
    }
    ledgerAlerts(first: 20) {
      nodes {
        id
        kind
        message
        createdAt
      }
    }
  }
`);

export const ExportLedger = graphql(`
  query ExportLedger {
    exportLedger
  }
`);
