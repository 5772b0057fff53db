import { graphql } from '../gql';

/** A customer's contact points, as the search results and the 360's header show them. */
export const ContactPoints = graphql(`
  fragment ContactPoints on Customer {
    emails {
      id
      address
      isPrimary
    }
    phones {
      id
      number
      isPrimary
    }
  }
`);

export const SearchCustomers = graphql(`
  query SearchCustomers($query: String!, $first: Int) {
    searchCustomers(query: $query, first: $first) {
      id
      displayName
      lifecycleStage
      ...ContactPoints
    }
  }
`);

export const CustomerHeader = graphql(`
  query CustomerHeader($id: ID!) {
    customer(id: $id) {
      id
      displayName
      lifecycleStage
      tags
      language
      ...ContactPoints
      companies {
        role
        company {
          id
          name
        }
      }
    }
  }
`);

export const CustomerConsents = graphql(`
  query CustomerConsents($customerId: ID!) {
    customerConsents(customerId: $customerId, first: 50) {
      nodes {
        id
        status
        purposes
        categories
        recipients
        givenAt
        validUntil
        withdrawnAt
        noticeVersion
        language
        registrationStatus
      }
    }
  }
`);

export const CustomerTimeline = graphql(`
  query CustomerTimeline(
    $customerId: ID!
    $after: String
    $kinds: [TimelineKind!]
    $first: Int
    $reason: SharedHistoryReasonInput
  ) {
    customerTimeline(
      customerId: $customerId
      after: $after
      kinds: $kinds
      first: $first
      includeShared: true
      reason: $reason
    ) {
      nodes {
        kind
        recordId
        occurredAt
        title
        summary
        origin
        originPartnerId
        consentId
        signatureStatus
        retentionEndsAt
        record {
          __typename
          ... on SharedRecord {
            id
            agreementId
            category
          }
          ... on CareCase {
            id
            status
            priority
            satisfaction
          }
          ... on Interaction {
            id
            subject
            channel
            direction
          }
          ... on Order {
            id
            number
            orderStatus: status
            total {
              amount
              currency
            }
          }
        }
      }
      pageInfo {
        endCursor
        hasNextPage
      }
      partial
      unavailablePartners
      sharedHistoryNeedsReason
    }
  }
`);
