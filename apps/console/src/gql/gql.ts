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
    "\n  query ConsentPartners {\n    consentPartners {\n      partnerId\n      name\n      agreementId\n      direction\n      purposes\n      categories\n    }\n  }\n": typeof types.ConsentPartnersDocument,
    "\n  query PublishedNotices {\n    privacyNotices(status: PUBLISHED, first: 50) {\n      nodes {\n        id\n        noticeKey\n        version\n        language\n        title\n        body\n        publishedAt\n      }\n    }\n  }\n": typeof types.PublishedNoticesDocument,
    "\n  query CustomerCareCases($customerId: ID!) {\n    careCases(filter: { customerId: $customerId }, first: 50) {\n      nodes {\n        id\n        subject\n        status\n        priority\n        openedAt\n        resolvedAt\n        closedAt\n        updatedAt\n        satisfaction\n        resolution\n      }\n    }\n  }\n": typeof types.CustomerCareCasesDocument,
    "\n  query CustomerInteractions($customerId: ID!) {\n    interactions(filter: { customerId: $customerId }, first: 20) {\n      nodes {\n        id\n        subject\n        channel\n        occurredAt\n        createdAt\n      }\n    }\n  }\n": typeof types.CustomerInteractionsDocument,
    "\n  mutation CreateInteraction($input: CreateInteractionInput!) {\n    createInteraction(input: $input) {\n      id\n    }\n  }\n": typeof types.CreateInteractionDocument,
    "\n  mutation CreateCareCase($input: CreateCareCaseInput!) {\n    createCareCase(input: $input) {\n      id\n    }\n  }\n": typeof types.CreateCareCaseDocument,
    "\n  mutation ChangeCareCaseStatus($id: ID!, $input: ChangeCareCaseStatusInput!) {\n    changeCareCaseStatus(id: $id, input: $input) {\n      id\n      status\n      resolution\n    }\n  }\n": typeof types.ChangeCareCaseStatusDocument,
    "\n  mutation RecordCareCaseFeedback($id: ID!, $input: CareCaseFeedbackInput!) {\n    recordCareCaseFeedback(id: $id, input: $input) {\n      id\n      satisfaction\n    }\n  }\n": typeof types.RecordCareCaseFeedbackDocument,
    "\n  mutation GiveConsent($input: GiveConsentInput!) {\n    giveConsent(input: $input) {\n      id\n      status\n    }\n  }\n": typeof types.GiveConsentDocument,
    "\n  mutation WithdrawConsent($consentId: ID!, $reason: String) {\n    withdrawConsent(consentId: $consentId, reason: $reason) {\n      id\n      status\n      withdrawnAt\n    }\n  }\n": typeof types.WithdrawConsentDocument,
    "\n  query ExportConsentReceipt($consentId: ID!) {\n    exportConsentReceipt(consentId: $consentId)\n  }\n": typeof types.ExportConsentReceiptDocument,
    "\n  fragment ContactPoints on Customer {\n    emails {\n      id\n      address\n      isPrimary\n    }\n    phones {\n      id\n      number\n      isPrimary\n    }\n  }\n": typeof types.ContactPointsFragmentDoc,
    "\n  query SearchCustomers($query: String!, $first: Int) {\n    searchCustomers(query: $query, first: $first) {\n      id\n      displayName\n      lifecycleStage\n      ...ContactPoints\n    }\n  }\n": typeof types.SearchCustomersDocument,
    "\n  query CustomerHeader($id: ID!) {\n    customer(id: $id) {\n      id\n      displayName\n      lifecycleStage\n      tags\n      language\n      ...ContactPoints\n      companies {\n        role\n        company {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.CustomerHeaderDocument,
    "\n  query CustomerConsents($customerId: ID!) {\n    customerConsents(customerId: $customerId, first: 50) {\n      nodes {\n        id\n        status\n        purposes\n        categories\n        recipients\n        givenAt\n        validUntil\n        withdrawnAt\n        noticeVersion\n        language\n        registrationStatus\n      }\n    }\n  }\n": typeof types.CustomerConsentsDocument,
    "\n  query CustomerTimeline(\n    $customerId: ID!\n    $after: String\n    $kinds: [TimelineKind!]\n    $first: Int\n    $reason: SharedHistoryReasonInput\n  ) {\n    customerTimeline(\n      customerId: $customerId\n      after: $after\n      kinds: $kinds\n      first: $first\n      includeShared: true\n      reason: $reason\n    ) {\n      nodes {\n        kind\n        recordId\n        occurredAt\n        title\n        summary\n        origin\n        originPartnerId\n        consentId\n        signatureStatus\n        retentionEndsAt\n        record {\n          __typename\n          ... on SharedRecord {\n            id\n            agreementId\n            category\n          }\n          ... on CareCase {\n            id\n            status\n            priority\n            satisfaction\n          }\n          ... on Interaction {\n            id\n            subject\n            channel\n            direction\n          }\n          ... on Order {\n            id\n            number\n            orderStatus: status\n            total {\n              amount\n              currency\n            }\n          }\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      partial\n      unavailablePartners\n      sharedHistoryNeedsReason\n    }\n  }\n": typeof types.CustomerTimelineDocument,
};
const documents: Documents = {
    "\n  query ConsentPartners {\n    consentPartners {\n      partnerId\n      name\n      agreementId\n      direction\n      purposes\n      categories\n    }\n  }\n": types.ConsentPartnersDocument,
    "\n  query PublishedNotices {\n    privacyNotices(status: PUBLISHED, first: 50) {\n      nodes {\n        id\n        noticeKey\n        version\n        language\n        title\n        body\n        publishedAt\n      }\n    }\n  }\n": types.PublishedNoticesDocument,
    "\n  query CustomerCareCases($customerId: ID!) {\n    careCases(filter: { customerId: $customerId }, first: 50) {\n      nodes {\n        id\n        subject\n        status\n        priority\n        openedAt\n        resolvedAt\n        closedAt\n        updatedAt\n        satisfaction\n        resolution\n      }\n    }\n  }\n": types.CustomerCareCasesDocument,
    "\n  query CustomerInteractions($customerId: ID!) {\n    interactions(filter: { customerId: $customerId }, first: 20) {\n      nodes {\n        id\n        subject\n        channel\n        occurredAt\n        createdAt\n      }\n    }\n  }\n": types.CustomerInteractionsDocument,
    "\n  mutation CreateInteraction($input: CreateInteractionInput!) {\n    createInteraction(input: $input) {\n      id\n    }\n  }\n": types.CreateInteractionDocument,
    "\n  mutation CreateCareCase($input: CreateCareCaseInput!) {\n    createCareCase(input: $input) {\n      id\n    }\n  }\n": types.CreateCareCaseDocument,
    "\n  mutation ChangeCareCaseStatus($id: ID!, $input: ChangeCareCaseStatusInput!) {\n    changeCareCaseStatus(id: $id, input: $input) {\n      id\n      status\n      resolution\n    }\n  }\n": types.ChangeCareCaseStatusDocument,
    "\n  mutation RecordCareCaseFeedback($id: ID!, $input: CareCaseFeedbackInput!) {\n    recordCareCaseFeedback(id: $id, input: $input) {\n      id\n      satisfaction\n    }\n  }\n": types.RecordCareCaseFeedbackDocument,
    "\n  mutation GiveConsent($input: GiveConsentInput!) {\n    giveConsent(input: $input) {\n      id\n      status\n    }\n  }\n": types.GiveConsentDocument,
    "\n  mutation WithdrawConsent($consentId: ID!, $reason: String) {\n    withdrawConsent(consentId: $consentId, reason: $reason) {\n      id\n      status\n      withdrawnAt\n    }\n  }\n": types.WithdrawConsentDocument,
    "\n  query ExportConsentReceipt($consentId: ID!) {\n    exportConsentReceipt(consentId: $consentId)\n  }\n": types.ExportConsentReceiptDocument,
    "\n  fragment ContactPoints on Customer {\n    emails {\n      id\n      address\n      isPrimary\n    }\n    phones {\n      id\n      number\n      isPrimary\n    }\n  }\n": types.ContactPointsFragmentDoc,
    "\n  query SearchCustomers($query: String!, $first: Int) {\n    searchCustomers(query: $query, first: $first) {\n      id\n      displayName\n      lifecycleStage\n      ...ContactPoints\n    }\n  }\n": types.SearchCustomersDocument,
    "\n  query CustomerHeader($id: ID!) {\n    customer(id: $id) {\n      id\n      displayName\n      lifecycleStage\n      tags\n      language\n      ...ContactPoints\n      companies {\n        role\n        company {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.CustomerHeaderDocument,
    "\n  query CustomerConsents($customerId: ID!) {\n    customerConsents(customerId: $customerId, first: 50) {\n      nodes {\n        id\n        status\n        purposes\n        categories\n        recipients\n        givenAt\n        validUntil\n        withdrawnAt\n        noticeVersion\n        language\n        registrationStatus\n      }\n    }\n  }\n": types.CustomerConsentsDocument,
    "\n  query CustomerTimeline(\n    $customerId: ID!\n    $after: String\n    $kinds: [TimelineKind!]\n    $first: Int\n    $reason: SharedHistoryReasonInput\n  ) {\n    customerTimeline(\n      customerId: $customerId\n      after: $after\n      kinds: $kinds\n      first: $first\n      includeShared: true\n      reason: $reason\n    ) {\n      nodes {\n        kind\n        recordId\n        occurredAt\n        title\n        summary\n        origin\n        originPartnerId\n        consentId\n        signatureStatus\n        retentionEndsAt\n        record {\n          __typename\n          ... on SharedRecord {\n            id\n            agreementId\n            category\n          }\n          ... on CareCase {\n            id\n            status\n            priority\n            satisfaction\n          }\n          ... on Interaction {\n            id\n            subject\n            channel\n            direction\n          }\n          ... on Order {\n            id\n            number\n            orderStatus: status\n            total {\n              amount\n              currency\n            }\n          }\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      partial\n      unavailablePartners\n      sharedHistoryNeedsReason\n    }\n  }\n": types.CustomerTimelineDocument,
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
export function graphql(source: "\n  query ConsentPartners {\n    consentPartners {\n      partnerId\n      name\n      agreementId\n      direction\n      purposes\n      categories\n    }\n  }\n"): (typeof documents)["\n  query ConsentPartners {\n    consentPartners {\n      partnerId\n      name\n      agreementId\n      direction\n      purposes\n      categories\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PublishedNotices {\n    privacyNotices(status: PUBLISHED, first: 50) {\n      nodes {\n        id\n        noticeKey\n        version\n        language\n        title\n        body\n        publishedAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query PublishedNotices {\n    privacyNotices(status: PUBLISHED, first: 50) {\n      nodes {\n        id\n        noticeKey\n        version\n        language\n        title\n        body\n        publishedAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CustomerCareCases($customerId: ID!) {\n    careCases(filter: { customerId: $customerId }, first: 50) {\n      nodes {\n        id\n        subject\n        status\n        priority\n        openedAt\n        resolvedAt\n        closedAt\n        updatedAt\n        satisfaction\n        resolution\n      }\n    }\n  }\n"): (typeof documents)["\n  query CustomerCareCases($customerId: ID!) {\n    careCases(filter: { customerId: $customerId }, first: 50) {\n      nodes {\n        id\n        subject\n        status\n        priority\n        openedAt\n        resolvedAt\n        closedAt\n        updatedAt\n        satisfaction\n        resolution\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CustomerInteractions($customerId: ID!) {\n    interactions(filter: { customerId: $customerId }, first: 20) {\n      nodes {\n        id\n        subject\n        channel\n        occurredAt\n        createdAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query CustomerInteractions($customerId: ID!) {\n    interactions(filter: { customerId: $customerId }, first: 20) {\n      nodes {\n        id\n        subject\n        channel\n        occurredAt\n        createdAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateInteraction($input: CreateInteractionInput!) {\n    createInteraction(input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation CreateInteraction($input: CreateInteractionInput!) {\n    createInteraction(input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateCareCase($input: CreateCareCaseInput!) {\n    createCareCase(input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation CreateCareCase($input: CreateCareCaseInput!) {\n    createCareCase(input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangeCareCaseStatus($id: ID!, $input: ChangeCareCaseStatusInput!) {\n    changeCareCaseStatus(id: $id, input: $input) {\n      id\n      status\n      resolution\n    }\n  }\n"): (typeof documents)["\n  mutation ChangeCareCaseStatus($id: ID!, $input: ChangeCareCaseStatusInput!) {\n    changeCareCaseStatus(id: $id, input: $input) {\n      id\n      status\n      resolution\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RecordCareCaseFeedback($id: ID!, $input: CareCaseFeedbackInput!) {\n    recordCareCaseFeedback(id: $id, input: $input) {\n      id\n      satisfaction\n    }\n  }\n"): (typeof documents)["\n  mutation RecordCareCaseFeedback($id: ID!, $input: CareCaseFeedbackInput!) {\n    recordCareCaseFeedback(id: $id, input: $input) {\n      id\n      satisfaction\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation GiveConsent($input: GiveConsentInput!) {\n    giveConsent(input: $input) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation GiveConsent($input: GiveConsentInput!) {\n    giveConsent(input: $input) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WithdrawConsent($consentId: ID!, $reason: String) {\n    withdrawConsent(consentId: $consentId, reason: $reason) {\n      id\n      status\n      withdrawnAt\n    }\n  }\n"): (typeof documents)["\n  mutation WithdrawConsent($consentId: ID!, $reason: String) {\n    withdrawConsent(consentId: $consentId, reason: $reason) {\n      id\n      status\n      withdrawnAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExportConsentReceipt($consentId: ID!) {\n    exportConsentReceipt(consentId: $consentId)\n  }\n"): (typeof documents)["\n  query ExportConsentReceipt($consentId: ID!) {\n    exportConsentReceipt(consentId: $consentId)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ContactPoints on Customer {\n    emails {\n      id\n      address\n      isPrimary\n    }\n    phones {\n      id\n      number\n      isPrimary\n    }\n  }\n"): (typeof documents)["\n  fragment ContactPoints on Customer {\n    emails {\n      id\n      address\n      isPrimary\n    }\n    phones {\n      id\n      number\n      isPrimary\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SearchCustomers($query: String!, $first: Int) {\n    searchCustomers(query: $query, first: $first) {\n      id\n      displayName\n      lifecycleStage\n      ...ContactPoints\n    }\n  }\n"): (typeof documents)["\n  query SearchCustomers($query: String!, $first: Int) {\n    searchCustomers(query: $query, first: $first) {\n      id\n      displayName\n      lifecycleStage\n      ...ContactPoints\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CustomerHeader($id: ID!) {\n    customer(id: $id) {\n      id\n      displayName\n      lifecycleStage\n      tags\n      language\n      ...ContactPoints\n      companies {\n        role\n        company {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query CustomerHeader($id: ID!) {\n    customer(id: $id) {\n      id\n      displayName\n      lifecycleStage\n      tags\n      language\n      ...ContactPoints\n      companies {\n        role\n        company {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CustomerConsents($customerId: ID!) {\n    customerConsents(customerId: $customerId, first: 50) {\n      nodes {\n        id\n        status\n        purposes\n        categories\n        recipients\n        givenAt\n        validUntil\n        withdrawnAt\n        noticeVersion\n        language\n        registrationStatus\n      }\n    }\n  }\n"): (typeof documents)["\n  query CustomerConsents($customerId: ID!) {\n    customerConsents(customerId: $customerId, first: 50) {\n      nodes {\n        id\n        status\n        purposes\n        categories\n        recipients\n        givenAt\n        validUntil\n        withdrawnAt\n        noticeVersion\n        language\n        registrationStatus\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CustomerTimeline(\n    $customerId: ID!\n    $after: String\n    $kinds: [TimelineKind!]\n    $first: Int\n    $reason: SharedHistoryReasonInput\n  ) {\n    customerTimeline(\n      customerId: $customerId\n      after: $after\n      kinds: $kinds\n      first: $first\n      includeShared: true\n      reason: $reason\n    ) {\n      nodes {\n        kind\n        recordId\n        occurredAt\n        title\n        summary\n        origin\n        originPartnerId\n        consentId\n        signatureStatus\n        retentionEndsAt\n        record {\n          __typename\n          ... on SharedRecord {\n            id\n            agreementId\n            category\n          }\n          ... on CareCase {\n            id\n            status\n            priority\n            satisfaction\n          }\n          ... on Interaction {\n            id\n            subject\n            channel\n            direction\n          }\n          ... on Order {\n            id\n            number\n            orderStatus: status\n            total {\n              amount\n              currency\n            }\n          }\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      partial\n      unavailablePartners\n      sharedHistoryNeedsReason\n    }\n  }\n"): (typeof documents)["\n  query CustomerTimeline(\n    $customerId: ID!\n    $after: String\n    $kinds: [TimelineKind!]\n    $first: Int\n    $reason: SharedHistoryReasonInput\n  ) {\n    customerTimeline(\n      customerId: $customerId\n      after: $after\n      kinds: $kinds\n      first: $first\n      includeShared: true\n      reason: $reason\n    ) {\n      nodes {\n        kind\n        recordId\n        occurredAt\n        title\n        summary\n        origin\n        originPartnerId\n        consentId\n        signatureStatus\n        retentionEndsAt\n        record {\n          __typename\n          ... on SharedRecord {\n            id\n            agreementId\n            category\n          }\n          ... on CareCase {\n            id\n            status\n            priority\n            satisfaction\n          }\n          ... on Interaction {\n            id\n            subject\n            channel\n            direction\n          }\n          ... on Order {\n            id\n            number\n            orderStatus: status\n            total {\n              amount\n              currency\n            }\n          }\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      partial\n      unavailablePartners\n      sharedHistoryNeedsReason\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;