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
    "\n  query AdminUsers {\n    me {\n      id\n    }\n    users {\n      id\n      email\n      displayName\n      roles\n      active\n      createdAt\n      updatedAt\n    }\n  }\n": typeof types.AdminUsersDocument,
    "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      id\n    }\n  }\n": typeof types.CreateUserDocument,
    "\n  mutation UpdateUser($id: ID!, $input: UpdateUserInput!) {\n    updateUser(id: $id, input: $input) {\n      id\n      roles\n      active\n      displayName\n      updatedAt\n    }\n  }\n": typeof types.UpdateUserDocument,
    "\n  query AdminNotices {\n    privacyNotices(first: 200) {\n      nodes {\n        id\n        noticeKey\n        version\n        language\n        title\n        body\n        status\n        contentHash\n        createdAt\n        publishedAt\n        consentsGiven\n        consentsHeld\n      }\n    }\n  }\n": typeof types.AdminNoticesDocument,
    "\n  mutation CreateNotice($input: CreatePrivacyNoticeInput!) {\n    createPrivacyNotice(input: $input) {\n      id\n    }\n  }\n": typeof types.CreateNoticeDocument,
    "\n  mutation UpdateNotice($id: ID!, $input: UpdatePrivacyNoticeInput!) {\n    updatePrivacyNotice(id: $id, input: $input) {\n      id\n      title\n      body\n      language\n    }\n  }\n": typeof types.UpdateNoticeDocument,
    "\n  mutation PublishNotice($id: ID!) {\n    publishPrivacyNotice(id: $id) {\n      id\n      status\n      publishedAt\n      contentHash\n    }\n  }\n": typeof types.PublishNoticeDocument,
    "\n  mutation DeleteNotice($id: ID!) {\n    deletePrivacyNotice(id: $id)\n  }\n": typeof types.DeleteNoticeDocument,
    "\n  query AdminAgreements {\n    networkMembership {\n      status\n      partnerId\n    }\n    memberDirectory {\n      partnerId\n      name\n      status\n    }\n    sharingAgreements(first: 200) {\n      nodes {\n        agreementId\n        partnerId\n        proposer\n        direction\n        purposes\n        categories\n        retentionDays\n        minCohortSize\n        state\n        validFrom\n        validUntil\n        createdAt\n        chain {\n          kind\n          from\n          to\n          by\n          at\n        }\n      }\n    }\n  }\n": typeof types.AdminAgreementsDocument,
    "\n  mutation ProposeAgreement($input: ProposeAgreementInput!) {\n    proposeAgreement(input: $input) {\n      agreementId\n      state\n    }\n  }\n": typeof types.ProposeAgreementDocument,
    "\n  mutation AcceptAgreement($agreementId: ID!) {\n    acceptAgreement(agreementId: $agreementId) {\n      agreementId\n      state\n    }\n  }\n": typeof types.AcceptAgreementDocument,
    "\n  mutation TerminateAgreement($agreementId: ID!, $reason: String) {\n    terminateAgreement(agreementId: $agreementId, reason: $reason) {\n      agreementId\n      state\n    }\n  }\n": typeof types.TerminateAgreementDocument,
    "\n  query AdminNetwork {\n    networkMembership {\n      status\n      partnerId\n      federationId\n      federationUrl\n      name\n      endpoint\n      appliedAt\n      validUntil\n      updatedAt\n      directoryRefreshedAt\n    }\n    memberDirectory {\n      partnerId\n      name\n      endpoint\n      status\n      validUntil\n      keys {\n        kid\n        state\n        retiresAt\n      }\n    }\n    nodeKeys {\n      kid\n      use\n      status\n      createdAt\n      activatedAt\n      retiredAt\n    }\n  }\n": typeof types.AdminNetworkDocument,
    "\n  mutation ApplyForMembership($input: ApplyForMembershipInput!) {\n    applyForMembership(input: $input) {\n      status\n      appliedAt\n    }\n  }\n": typeof types.ApplyForMembershipDocument,
    "\n  mutation RotateKeys($agreementKey: Boolean!) {\n    rotateKeys(agreementKey: $agreementKey) {\n      announced\n      newKids\n      retiredKids\n    }\n  }\n": typeof types.RotateKeysDocument,
    "\n  query ImportProgress($jobId: ID!) {\n    importProgress(jobId: $jobId) {\n      jobId\n      phase\n      totalBytes\n      bytesRead\n      rows\n      badRows\n    }\n  }\n": typeof types.ImportProgressDocument,
    "\n  query ExportCustomer($id: ID!) {\n    exportCustomer(id: $id)\n  }\n": typeof types.ExportCustomerDocument,
    "\n  query AdminOperations {\n    queueDepths {\n      name\n      waiting\n      active\n      delayed\n    }\n    shareDeliveryBacklog {\n      recipient\n      pending\n      dead\n      oldestPendingAt\n      lastError\n    }\n    memberDirectory {\n      partnerId\n      name\n    }\n    ledgerAlerts(first: 20) {\n      nodes {\n        id\n        kind\n        message\n        createdAt\n      }\n    }\n  }\n": typeof types.AdminOperationsDocument,
    "\n  mutation RetryDeadDeliveries {\n    retryDeadShareDeliveries\n  }\n": typeof types.RetryDeadDeliveriesDocument,
    "\n  mutation RefreshAgreements {\n    refreshAgreements {\n      agreements\n      refused\n    }\n  }\n": typeof types.RefreshAgreementsDocument,
};
const documents: Documents = {
    "\n  query AdminUsers {\n    me {\n      id\n    }\n    users {\n      id\n      email\n      displayName\n      roles\n      active\n      createdAt\n      updatedAt\n    }\n  }\n": types.AdminUsersDocument,
    "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      id\n    }\n  }\n": types.CreateUserDocument,
    "\n  mutation UpdateUser($id: ID!, $input: UpdateUserInput!) {\n    updateUser(id: $id, input: $input) {\n      id\n      roles\n      active\n      displayName\n      updatedAt\n    }\n  }\n": types.UpdateUserDocument,
    "\n  query AdminNotices {\n    privacyNotices(first: 200) {\n      nodes {\n        id\n        noticeKey\n        version\n        language\n        title\n        body\n        status\n        contentHash\n        createdAt\n        publishedAt\n        consentsGiven\n        consentsHeld\n      }\n    }\n  }\n": types.AdminNoticesDocument,
    "\n  mutation CreateNotice($input: CreatePrivacyNoticeInput!) {\n    createPrivacyNotice(input: $input) {\n      id\n    }\n  }\n": types.CreateNoticeDocument,
    "\n  mutation UpdateNotice($id: ID!, $input: UpdatePrivacyNoticeInput!) {\n    updatePrivacyNotice(id: $id, input: $input) {\n      id\n      title\n      body\n      language\n    }\n  }\n": types.UpdateNoticeDocument,
    "\n  mutation PublishNotice($id: ID!) {\n    publishPrivacyNotice(id: $id) {\n      id\n      status\n      publishedAt\n      contentHash\n    }\n  }\n": types.PublishNoticeDocument,
    "\n  mutation DeleteNotice($id: ID!) {\n    deletePrivacyNotice(id: $id)\n  }\n": types.DeleteNoticeDocument,
    "\n  query AdminAgreements {\n    networkMembership {\n      status\n      partnerId\n    }\n    memberDirectory {\n      partnerId\n      name\n      status\n    }\n    sharingAgreements(first: 200) {\n      nodes {\n        agreementId\n        partnerId\n        proposer\n        direction\n        purposes\n        categories\n        retentionDays\n        minCohortSize\n        state\n        validFrom\n        validUntil\n        createdAt\n        chain {\n          kind\n          from\n          to\n          by\n          at\n        }\n      }\n    }\n  }\n": types.AdminAgreementsDocument,
    "\n  mutation ProposeAgreement($input: ProposeAgreementInput!) {\n    proposeAgreement(input: $input) {\n      agreementId\n      state\n    }\n  }\n": types.ProposeAgreementDocument,
    "\n  mutation AcceptAgreement($agreementId: ID!) {\n    acceptAgreement(agreementId: $agreementId) {\n      agreementId\n      state\n    }\n  }\n": types.AcceptAgreementDocument,
    "\n  mutation TerminateAgreement($agreementId: ID!, $reason: String) {\n    terminateAgreement(agreementId: $agreementId, reason: $reason) {\n      agreementId\n      state\n    }\n  }\n": types.TerminateAgreementDocument,
    "\n  query AdminNetwork {\n    networkMembership {\n      status\n      partnerId\n      federationId\n      federationUrl\n      name\n      endpoint\n      appliedAt\n      validUntil\n      updatedAt\n      directoryRefreshedAt\n    }\n    memberDirectory {\n      partnerId\n      name\n      endpoint\n      status\n      validUntil\n      keys {\n        kid\n        state\n        retiresAt\n      }\n    }\n    nodeKeys {\n      kid\n      use\n      status\n      createdAt\n      activatedAt\n      retiredAt\n    }\n  }\n": types.AdminNetworkDocument,
    "\n  mutation ApplyForMembership($input: ApplyForMembershipInput!) {\n    applyForMembership(input: $input) {\n      status\n      appliedAt\n    }\n  }\n": types.ApplyForMembershipDocument,
    "\n  mutation RotateKeys($agreementKey: Boolean!) {\n    rotateKeys(agreementKey: $agreementKey) {\n      announced\n      newKids\n      retiredKids\n    }\n  }\n": types.RotateKeysDocument,
    "\n  query ImportProgress($jobId: ID!) {\n    importProgress(jobId: $jobId) {\n      jobId\n      phase\n      totalBytes\n      bytesRead\n      rows\n      badRows\n    }\n  }\n": types.ImportProgressDocument,
    "\n  query ExportCustomer($id: ID!) {\n    exportCustomer(id: $id)\n  }\n": types.ExportCustomerDocument,
    "\n  query AdminOperations {\n    queueDepths {\n      name\n      waiting\n      active\n      delayed\n    }\n    shareDeliveryBacklog {\n      recipient\n      pending\n      dead\n      oldestPendingAt\n      lastError\n    }\n    memberDirectory {\n      partnerId\n      name\n    }\n    ledgerAlerts(first: 20) {\n      nodes {\n        id\n        kind\n        message\n        createdAt\n      }\n    }\n  }\n": types.AdminOperationsDocument,
    "\n  mutation RetryDeadDeliveries {\n    retryDeadShareDeliveries\n  }\n": types.RetryDeadDeliveriesDocument,
    "\n  mutation RefreshAgreements {\n    refreshAgreements {\n      agreements\n      refused\n    }\n  }\n": types.RefreshAgreementsDocument,
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
export function graphql(source: "\n  query AdminUsers {\n    me {\n      id\n    }\n    users {\n      id\n      email\n      displayName\n      roles\n      active\n      createdAt\n      updatedAt\n    }\n  }\n"): (typeof documents)["\n  query AdminUsers {\n    me {\n      id\n    }\n    users {\n      id\n      email\n      displayName\n      roles\n      active\n      createdAt\n      updatedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateUser($id: ID!, $input: UpdateUserInput!) {\n    updateUser(id: $id, input: $input) {\n      id\n      roles\n      active\n      displayName\n      updatedAt\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateUser($id: ID!, $input: UpdateUserInput!) {\n    updateUser(id: $id, input: $input) {\n      id\n      roles\n      active\n      displayName\n      updatedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminNotices {\n    privacyNotices(first: 200) {\n      nodes {\n        id\n        noticeKey\n        version\n        language\n        title\n        body\n        status\n        contentHash\n        createdAt\n        publishedAt\n        consentsGiven\n        consentsHeld\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminNotices {\n    privacyNotices(first: 200) {\n      nodes {\n        id\n        noticeKey\n        version\n        language\n        title\n        body\n        status\n        contentHash\n        createdAt\n        publishedAt\n        consentsGiven\n        consentsHeld\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateNotice($input: CreatePrivacyNoticeInput!) {\n    createPrivacyNotice(input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation CreateNotice($input: CreatePrivacyNoticeInput!) {\n    createPrivacyNotice(input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateNotice($id: ID!, $input: UpdatePrivacyNoticeInput!) {\n    updatePrivacyNotice(id: $id, input: $input) {\n      id\n      title\n      body\n      language\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateNotice($id: ID!, $input: UpdatePrivacyNoticeInput!) {\n    updatePrivacyNotice(id: $id, input: $input) {\n      id\n      title\n      body\n      language\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PublishNotice($id: ID!) {\n    publishPrivacyNotice(id: $id) {\n      id\n      status\n      publishedAt\n      contentHash\n    }\n  }\n"): (typeof documents)["\n  mutation PublishNotice($id: ID!) {\n    publishPrivacyNotice(id: $id) {\n      id\n      status\n      publishedAt\n      contentHash\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteNotice($id: ID!) {\n    deletePrivacyNotice(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteNotice($id: ID!) {\n    deletePrivacyNotice(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminAgreements {\n    networkMembership {\n      status\n      partnerId\n    }\n    memberDirectory {\n      partnerId\n      name\n      status\n    }\n    sharingAgreements(first: 200) {\n      nodes {\n        agreementId\n        partnerId\n        proposer\n        direction\n        purposes\n        categories\n        retentionDays\n        minCohortSize\n        state\n        validFrom\n        validUntil\n        createdAt\n        chain {\n          kind\n          from\n          to\n          by\n          at\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminAgreements {\n    networkMembership {\n      status\n      partnerId\n    }\n    memberDirectory {\n      partnerId\n      name\n      status\n    }\n    sharingAgreements(first: 200) {\n      nodes {\n        agreementId\n        partnerId\n        proposer\n        direction\n        purposes\n        categories\n        retentionDays\n        minCohortSize\n        state\n        validFrom\n        validUntil\n        createdAt\n        chain {\n          kind\n          from\n          to\n          by\n          at\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ProposeAgreement($input: ProposeAgreementInput!) {\n    proposeAgreement(input: $input) {\n      agreementId\n      state\n    }\n  }\n"): (typeof documents)["\n  mutation ProposeAgreement($input: ProposeAgreementInput!) {\n    proposeAgreement(input: $input) {\n      agreementId\n      state\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcceptAgreement($agreementId: ID!) {\n    acceptAgreement(agreementId: $agreementId) {\n      agreementId\n      state\n    }\n  }\n"): (typeof documents)["\n  mutation AcceptAgreement($agreementId: ID!) {\n    acceptAgreement(agreementId: $agreementId) {\n      agreementId\n      state\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TerminateAgreement($agreementId: ID!, $reason: String) {\n    terminateAgreement(agreementId: $agreementId, reason: $reason) {\n      agreementId\n      state\n    }\n  }\n"): (typeof documents)["\n  mutation TerminateAgreement($agreementId: ID!, $reason: String) {\n    terminateAgreement(agreementId: $agreementId, reason: $reason) {\n      agreementId\n      state\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminNetwork {\n    networkMembership {\n      status\n      partnerId\n      federationId\n      federationUrl\n      name\n      endpoint\n      appliedAt\n      validUntil\n      updatedAt\n      directoryRefreshedAt\n    }\n    memberDirectory {\n      partnerId\n      name\n      endpoint\n      status\n      validUntil\n      keys {\n        kid\n        state\n        retiresAt\n      }\n    }\n    nodeKeys {\n      kid\n      use\n      status\n      createdAt\n      activatedAt\n      retiredAt\n    }\n  }\n"): (typeof documents)["\n  query AdminNetwork {\n    networkMembership {\n      status\n      partnerId\n      federationId\n      federationUrl\n      name\n      endpoint\n      appliedAt\n      validUntil\n      updatedAt\n      directoryRefreshedAt\n    }\n    memberDirectory {\n      partnerId\n      name\n      endpoint\n      status\n      validUntil\n      keys {\n        kid\n        state\n        retiresAt\n      }\n    }\n    nodeKeys {\n      kid\n      use\n      status\n      createdAt\n      activatedAt\n      retiredAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ApplyForMembership($input: ApplyForMembershipInput!) {\n    applyForMembership(input: $input) {\n      status\n      appliedAt\n    }\n  }\n"): (typeof documents)["\n  mutation ApplyForMembership($input: ApplyForMembershipInput!) {\n    applyForMembership(input: $input) {\n      status\n      appliedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RotateKeys($agreementKey: Boolean!) {\n    rotateKeys(agreementKey: $agreementKey) {\n      announced\n      newKids\n      retiredKids\n    }\n  }\n"): (typeof documents)["\n  mutation RotateKeys($agreementKey: Boolean!) {\n    rotateKeys(agreementKey: $agreementKey) {\n      announced\n      newKids\n      retiredKids\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ImportProgress($jobId: ID!) {\n    importProgress(jobId: $jobId) {\n      jobId\n      phase\n      totalBytes\n      bytesRead\n      rows\n      badRows\n    }\n  }\n"): (typeof documents)["\n  query ImportProgress($jobId: ID!) {\n    importProgress(jobId: $jobId) {\n      jobId\n      phase\n      totalBytes\n      bytesRead\n      rows\n      badRows\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExportCustomer($id: ID!) {\n    exportCustomer(id: $id)\n  }\n"): (typeof documents)["\n  query ExportCustomer($id: ID!) {\n    exportCustomer(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminOperations {\n    queueDepths {\n      name\n      waiting\n      active\n      delayed\n    }\n    shareDeliveryBacklog {\n      recipient\n      pending\n      dead\n      oldestPendingAt\n      lastError\n    }\n    memberDirectory {\n      partnerId\n      name\n    }\n    ledgerAlerts(first: 20) {\n      nodes {\n        id\n        kind\n        message\n        createdAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminOperations {\n    queueDepths {\n      name\n      waiting\n      active\n      delayed\n    }\n    shareDeliveryBacklog {\n      recipient\n      pending\n      dead\n      oldestPendingAt\n      lastError\n    }\n    memberDirectory {\n      partnerId\n      name\n    }\n    ledgerAlerts(first: 20) {\n      nodes {\n        id\n        kind\n        message\n        createdAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetryDeadDeliveries {\n    retryDeadShareDeliveries\n  }\n"): (typeof documents)["\n  mutation RetryDeadDeliveries {\n    retryDeadShareDeliveries\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefreshAgreements {\n    refreshAgreements {\n      agreements\n      refused\n    }\n  }\n"): (typeof documents)["\n  mutation RefreshAgreements {\n    refreshAgreements {\n      agreements\n      refused\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;