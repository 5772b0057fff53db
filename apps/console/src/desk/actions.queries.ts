import { graphql } from '../gql';

export const ConsentPartners = graphql(`
  query ConsentPartners {
    consentPartners {
      partnerId
      name
      agreementId
      direction
      purposes
      categories
    }
  }
`);

export const PublishedNotices = graphql(`
  query PublishedNotices {
    privacyNotices(status: PUBLISHED, first: 50) {
      nodes {
        id
        noticeKey
        version
        language
        title
        body
        publishedAt
      }
    }
  }
`);

export const CustomerCareCases = graphql(`
  query CustomerCareCases($customerId: ID!) {
    careCases(filter: { customerId: $customerId }, first: 50) {
      nodes {
        id
        subject
        status
        priority
        openedAt
        resolvedAt
        closedAt
        updatedAt
        satisfaction
        resolution
      }
    }
  }
`);

/** The customer's latest interactions: the ones an agent may name as the reason to read shared history. */
export const CustomerInteractions = graphql(`
  query CustomerInteractions($customerId: ID!) {
    interactions(filter: { customerId: $customerId }, first: 20) {
      nodes {
        id
        subject
        channel
        occurredAt
        createdAt
      }
    }
  }
`);

export const CreateInteraction = graphql(`
  mutation CreateInteraction($input: CreateInteractionInput!) {
    createInteraction(input: $input) {
      id
    }
  }
`);

export const CreateCareCase = graphql(`
  mutation CreateCareCase($input: CreateCareCaseInput!) {
    createCareCase(input: $input) {
      id
    }
  }
`);

export const ChangeCareCaseStatus = graphql(`
  mutation ChangeCareCaseStatus($id: ID!, $input: ChangeCareCaseStatusInput!) {
    changeCareCaseStatus(id: $id, input: $input) {
      id
      status
      resolution
    }
  }
`);

export const RecordCareCaseFeedback = graphql(`
  mutation RecordCareCaseFeedback($id: ID!, $input: CareCaseFeedbackInput!) {
    recordCareCaseFeedback(id: $id, input: $input) {
      id
      satisfaction
    }
  }
`);

export const GiveConsent = graphql(`
  mutation GiveConsent($input: GiveConsentInput!) {
    giveConsent(input: $input) {
      id
      status
    }
  }
`);

export const WithdrawConsent = graphql(`
  mutation WithdrawConsent($consentId: ID!, $reason: String) {
    withdrawConsent(consentId: $consentId, reason: $reason) {
      id
      status
      withdrawnAt
    }
  }
`);

export const ExportConsentReceipt = graphql(`
  query ExportConsentReceipt($consentId: ID!) {
    exportConsentReceipt(consentId: $consentId)
  }
`);
