import { graphql } from './gql';

export const AdminUsers = graphql(`
  query AdminUsers {
    me {
      id
    }
    users {
      id
      email
      displayName
      roles
      active
      createdAt
      updatedAt
    }
  }
`);

export const CreateUser = graphql(`
  mutation CreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      id
    }
  }
`);

export const UpdateUser = graphql(`
  mutation UpdateUser($id: ID!, $input: UpdateUserInput!) {
    updateUser(id: $id, input: $input) {
      id
      roles
      active
      displayName
      updatedAt
    }
  }
`);

export const AdminNotices = graphql(`
  query AdminNotices {
    privacyNotices(first: 200) {
      nodes {
        id
        noticeKey
        version
        language
        title
        body
        status
        contentHash
        createdAt
        publishedAt
        consentsGiven
        consentsHeld
      }
    }
  }
`);

export const CreateNotice = graphql(`
  mutation CreateNotice($input: CreatePrivacyNoticeInput!) {
    createPrivacyNotice(input: $input) {
      id
    }
  }
`);

export const UpdateNotice = graphql(`
  mutation UpdateNotice($id: ID!, $input: UpdatePrivacyNoticeInput!) {
    updatePrivacyNotice(id: $id, input: $input) {
      id
      title
      body
      language
    }
  }
`);

export const PublishNotice = graphql(`
  mutation PublishNotice($id: ID!) {
    publishPrivacyNotice(id: $id) {
      id
      status
      publishedAt
      contentHash
    }
  }
`);

export const DeleteNotice = graphql(`
  mutation DeleteNotice($id: ID!) {
    deletePrivacyNotice(id: $id)
  }
`);

export const AdminAgreements = graphql(`
  query AdminAgreements {
    networkMembership {
      status
      partnerId
    }
    memberDirectory {
      partnerId
      name
      status
    }
    sharingAgreements(first: 200) {
      nodes {
        agreementId
        partnerId
        proposer
        direction
        purposes
        categories
        retentionDays
        minCohortSize
        state
        validFrom
        validUntil
        createdAt
        chain {
          kind
          from
          to
          by
          at
        }
      }
    }
  }
`);

export const ProposeAgreement = graphql(`
  mutation ProposeAgreement($input: ProposeAgreementInput!) {
    proposeAgreement(input: $input) {
      agreementId
      state
    }
  }
`);

export const AcceptAgreement = graphql(`
  mutation AcceptAgreement($agreementId: ID!) {
    acceptAgreement(agreementId: $agreementId) {
      agreementId
      state
    }
  }
`);

export const TerminateAgreement = graphql(`
  mutation TerminateAgreement($agreementId: ID!, $reason: String) {
    terminateAgreement(agreementId: $agreementId, reason: $reason) {
      agreementId
      state
    }
  }
`);

export const AdminNetwork = graphql(`
  query AdminNetwork {
    networkMembership {
      status
      partnerId
      federationId
      federationUrl
      name
      endpoint
      appliedAt
      validUntil
      updatedAt
      directoryRefreshedAt
    }
    memberDirectory {
      partnerId
      name
      endpoint
      status
      validUntil
      keys {
        kid
        state
        retiresAt
      }
    }
    nodeKeys {
      kid
      use
      status
      createdAt
      activatedAt
      retiredAt
    }
  }
`);

export const ApplyForMembership = graphql(`
  mutation ApplyForMembership($input: ApplyForMembershipInput!) {
    applyForMembership(input: $input) {
      status
      appliedAt
    }
  }
`);

export const RotateKeys = graphql(`
  mutation RotateKeys($agreementKey: Boolean!) {
    rotateKeys(agreementKey: $agreementKey) {
      announced
      newKids
      retiredKids
    }
  }
`);

export const ImportProgress = graphql(`
  query ImportProgress($jobId: ID!) {
    importProgress(jobId: $jobId) {
      jobId
      phase
      totalBytes
      bytesRead
      rows
      badRows
    }
  }
`);

export const ExportCustomer = graphql(`
  query ExportCustomer($id: ID!) {
    exportCustomer(id: $id)
  }
`);

export const AdminOperations = graphql(`
  query AdminOperations {
    queueDepths {
      name
      waiting
      active
      delayed
    }
    shareDeliveryBacklog {
      recipient
      pending
      dead
      oldestPendingAt
      lastError
    }
    memberDirectory {
      partnerId
      name
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

export const RetryDeadDeliveries = graphql(`
  mutation RetryDeadDeliveries {
    retryDeadShareDeliveries
  }
`);

export const RefreshAgreements = graphql(`
  mutation RefreshAgreements {
    refreshAgreements {
      agreements
      refused
    }
  }
`);
