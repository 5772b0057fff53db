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
    "\n  query ComplianceTrustAnchors {\n    complianceTrustAnchors {\n      partnerId\n      federationId\n      federationUrl\n      federationJwks\n      federationKids\n      statements {\n        partnerId\n        name\n        statement\n      }\n    }\n  }\n": typeof types.ComplianceTrustAnchorsDocument,
    "\n  query ComplianceCustomer($id: ID!) {\n    customer(id: $id) {\n      id\n      displayName\n    }\n  }\n": typeof types.ComplianceCustomerDocument,
    "\n  fragment LedgerInclusionFields on LedgerInclusion {\n    seq\n    entry\n    leafHash\n    treeSize\n    rootHash\n    hashes\n    checkpointNote\n    verifierKey\n    origin\n    kind\n    appendedAt\n  }\n": typeof types.LedgerInclusionFieldsFragmentDoc,
    "\n  query CustomerConsentHistory($id: ID!) {\n    customerConsentHistory(customerId: $id) {\n      customerId\n      ledgerOrigin\n      checkpointKey\n      consents {\n        noticeVersion\n        consent {\n          id\n          status\n          purposes\n          categories\n          recipients\n          givenAt\n          withdrawnAt\n        }\n        receipt {\n          kind\n          at\n          jws\n          ledger {\n            ...LedgerInclusionFields\n          }\n        }\n        withdrawal {\n          kind\n          at\n          jws\n          ledger {\n            ...LedgerInclusionFields\n          }\n        }\n      }\n    }\n  }\n": typeof types.CustomerConsentHistoryDocument,
    "\n  query CustomerDataFlows($id: ID!) {\n    customerDataFlows(customerId: $id) {\n      customerId\n      receivedCopies\n      shares {\n        envelopeId\n        recipient\n        agreementId\n        consentId\n        categories\n        channel\n        records\n        sentAt\n        purgeStatus\n        purgeRequestedAt\n        purgeConfirmedAt\n      }\n      accesses {\n        accessId\n        accessedAt\n        userName\n        originPartnerIds\n        consentIds\n      }\n    }\n  }\n": typeof types.CustomerDataFlowsDocument,
    "\n  query CustomerAccessReport($id: ID!) {\n    customerAccessReport(customerId: $id) {\n      html\n      json\n    }\n  }\n": typeof types.CustomerAccessReportDocument,
    "\n  fragment ErasureFields on ErasureRequest {\n    id\n    customerId\n    reason\n    requestedAt\n    complete\n    erased\n    withdrawnConsentIds\n    recipients {\n      consentId\n      recipient\n      status\n      confirmedAt\n      recordsPurged\n      receiptJws\n      lastError\n    }\n  }\n": typeof types.ErasureFieldsFragmentDoc,
    "\n  query ErasureRequests($first: Int) {\n    erasureRequests(first: $first) {\n      nodes {\n        ...ErasureFields\n      }\n    }\n  }\n": typeof types.ErasureRequestsDocument,
    "\n  mutation EraseCustomer($customerId: ID!, $reason: String!) {\n    eraseCustomer(customerId: $customerId, reason: $reason) {\n      ...ErasureFields\n    }\n  }\n": typeof types.EraseCustomerDocument,
    "\n  query ComplianceViolations {\n    complianceViolations {\n      generatedAt\n      total\n      checks {\n        kind\n        count\n        description\n      }\n      violations {\n        kind\n        side\n        at\n        partnerId\n        consentId\n        agreementId\n        envelopeId\n        recordId\n        detail\n      }\n    }\n  }\n": typeof types.ComplianceViolationsDocument,
    "\n  query RecordsOfProcessing {\n    recordsOfProcessing {\n      controller\n      federationId\n      generatedAt\n      ledgerSize\n      securityMeasures\n      ledgerCounts {\n        kind\n        count\n      }\n      activities {\n        purpose\n        description\n        legalBasis\n        categoriesOfDataSubjects\n        categoriesOfData {\n          category\n          description\n        }\n        recipients\n        sources\n        retention\n        consentsLive\n        consentsWithdrawn\n        consentsExpired\n        transfers {\n          partnerId\n          agreementId\n          direction\n          safeguards\n        }\n      }\n    }\n  }\n": typeof types.RecordsOfProcessingDocument,
    "\n  query LedgerOverview {\n    ledgerHead {\n      origin\n      size\n      rootHash\n      pending\n      checkpointKey\n      latestCheckpoint {\n        size\n        rootHash\n        createdAt\n        signerKid\n        signerName\n        note\n      }\n    }\n    ledgerCheckpoints(first: 10) {\n      nodes {\n        size\n        rootHash\n        createdAt\n        signerKid\n        note\n      }\n    }\n    ledgerFederationCheckpoints(first: 10) {\n      nodes {\n        id\n        origin\n        size\n        rootHash\n        receivedAt\n        status\n      }\n    }\n    ledgerAlerts(first: 20) {\n      nodes {\n        id\n        kind\n        message\n        createdAt\n      }\n    }\n  }\n": typeof types.LedgerOverviewDocument,
    "\n  query ExportLedger {\n    exportLedger\n  }\n": typeof types.ExportLedgerDocument,
};
const documents: Documents = {
    "\n  query ComplianceTrustAnchors {\n    complianceTrustAnchors {\n      partnerId\n      federationId\n      federationUrl\n      federationJwks\n      federationKids\n      statements {\n        partnerId\n        name\n        statement\n      }\n    }\n  }\n": types.ComplianceTrustAnchorsDocument,
    "\n  query ComplianceCustomer($id: ID!) {\n    customer(id: $id) {\n      id\n      displayName\n    }\n  }\n": types.ComplianceCustomerDocument,
    "\n  fragment LedgerInclusionFields on LedgerInclusion {\n    seq\n    entry\n    leafHash\n    treeSize\n    rootHash\n    hashes\n    checkpointNote\n    verifierKey\n    origin\n    kind\n    appendedAt\n  }\n": types.LedgerInclusionFieldsFragmentDoc,
    "\n  query CustomerConsentHistory($id: ID!) {\n    customerConsentHistory(customerId: $id) {\n      customerId\n      ledgerOrigin\n      checkpointKey\n      consents {\n        noticeVersion\n        consent {\n          id\n          status\n          purposes\n          categories\n          recipients\n          givenAt\n          withdrawnAt\n        }\n        receipt {\n          kind\n          at\n          jws\n          ledger {\n            ...LedgerInclusionFields\n          }\n        }\n        withdrawal {\n          kind\n          at\n          jws\n          ledger {\n            ...LedgerInclusionFields\n          }\n        }\n      }\n    }\n  }\n": types.CustomerConsentHistoryDocument,
    "\n  query CustomerDataFlows($id: ID!) {\n    customerDataFlows(customerId: $id) {\n      customerId\n      receivedCopies\n      shares {\n        envelopeId\n        recipient\n        agreementId\n        consentId\n        categories\n        channel\n        records\n        sentAt\n        purgeStatus\n        purgeRequestedAt\n        purgeConfirmedAt\n      }\n      accesses {\n        accessId\n        accessedAt\n        userName\n        originPartnerIds\n        consentIds\n      }\n    }\n  }\n": types.CustomerDataFlowsDocument,
    "\n  query CustomerAccessReport($id: ID!) {\n    customerAccessReport(customerId: $id) {\n      html\n      json\n    }\n  }\n": types.CustomerAccessReportDocument,
    "\n  fragment ErasureFields on ErasureRequest {\n    id\n    customerId\n    reason\n    requestedAt\n    complete\n    erased\n    withdrawnConsentIds\n    recipients {\n      consentId\n      recipient\n      status\n      confirmedAt\n      recordsPurged\n      receiptJws\n      lastError\n    }\n  }\n": types.ErasureFieldsFragmentDoc,
    "\n  query ErasureRequests($first: Int) {\n    erasureRequests(first: $first) {\n      nodes {\n        ...ErasureFields\n      }\n    }\n  }\n": types.ErasureRequestsDocument,
    "\n  mutation EraseCustomer($customerId: ID!, $reason: String!) {\n    eraseCustomer(customerId: $customerId, reason: $reason) {\n      ...ErasureFields\n    }\n  }\n": types.EraseCustomerDocument,
    "\n  query ComplianceViolations {\n    complianceViolations {\n      generatedAt\n      total\n      checks {\n        kind\n        count\n        description\n      }\n      violations {\n        kind\n        side\n        at\n        partnerId\n        consentId\n        agreementId\n        envelopeId\n        recordId\n        detail\n      }\n    }\n  }\n": types.ComplianceViolationsDocument,
    "\n  query RecordsOfProcessing {\n    recordsOfProcessing {\n      controller\n      federationId\n      generatedAt\n      ledgerSize\n      securityMeasures\n      ledgerCounts {\n        kind\n        count\n      }\n      activities {\n        purpose\n        description\n        legalBasis\n        categoriesOfDataSubjects\n        categoriesOfData {\n          category\n          description\n        }\n        recipients\n        sources\n        retention\n        consentsLive\n        consentsWithdrawn\n        consentsExpired\n        transfers {\n          partnerId\n          agreementId\n          direction\n          safeguards\n        }\n      }\n    }\n  }\n": types.RecordsOfProcessingDocument,
    "\n  query LedgerOverview {\n    ledgerHead {\n      origin\n      size\n      rootHash\n      pending\n      checkpointKey\n      latestCheckpoint {\n        size\n        rootHash\n        createdAt\n        signerKid\n        signerName\n        note\n      }\n    }\n    ledgerCheckpoints(first: 10) {\n      nodes {\n        size\n        rootHash\n        createdAt\n        signerKid\n        note\n      }\n    }\n    ledgerFederationCheckpoints(first: 10) {\n      nodes {\n        id\n        origin\n        size\n        rootHash\n        receivedAt\n        status\n      }\n    }\n    ledgerAlerts(first: 20) {\n      nodes {\n        id\n        kind\n        message\n        createdAt\n      }\n    }\n  }\n": types.LedgerOverviewDocument,
    "\n  query ExportLedger {\n    exportLedger\n  }\n": types.ExportLedgerDocument,
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
export function graphql(source: "\n  query ComplianceTrustAnchors {\n    complianceTrustAnchors {\n      partnerId\n      federationId\n      federationUrl\n      federationJwks\n      federationKids\n      statements {\n        partnerId\n        name\n        statement\n      }\n    }\n  }\n"): (typeof documents)["\n  query ComplianceTrustAnchors {\n    complianceTrustAnchors {\n      partnerId\n      federationId\n      federationUrl\n      federationJwks\n      federationKids\n      statements {\n        partnerId\n        name\n        statement\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ComplianceCustomer($id: ID!) {\n    customer(id: $id) {\n      id\n      displayName\n    }\n  }\n"): (typeof documents)["\n  query ComplianceCustomer($id: ID!) {\n    customer(id: $id) {\n      id\n      displayName\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment LedgerInclusionFields on LedgerInclusion {\n    seq\n    entry\n    leafHash\n    treeSize\n    rootHash\n    hashes\n    checkpointNote\n    verifierKey\n    origin\n    kind\n    appendedAt\n  }\n"): (typeof documents)["\n  fragment LedgerInclusionFields on LedgerInclusion {\n    seq\n    entry\n    leafHash\n    treeSize\n    rootHash\n    hashes\n    checkpointNote\n    verifierKey\n    origin\n    kind\n    appendedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CustomerConsentHistory($id: ID!) {\n    customerConsentHistory(customerId: $id) {\n      customerId\n      ledgerOrigin\n      checkpointKey\n      consents {\n        noticeVersion\n        consent {\n          id\n          status\n          purposes\n          categories\n          recipients\n          givenAt\n          withdrawnAt\n        }\n        receipt {\n          kind\n          at\n          jws\n          ledger {\n            ...LedgerInclusionFields\n          }\n        }\n        withdrawal {\n          kind\n          at\n          jws\n          ledger {\n            ...LedgerInclusionFields\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query CustomerConsentHistory($id: ID!) {\n    customerConsentHistory(customerId: $id) {\n      customerId\n      ledgerOrigin\n      checkpointKey\n      consents {\n        noticeVersion\n        consent {\n          id\n          status\n          purposes\n          categories\n          recipients\n          givenAt\n          withdrawnAt\n        }\n        receipt {\n          kind\n          at\n          jws\n          ledger {\n            ...LedgerInclusionFields\n          }\n        }\n        withdrawal {\n          kind\n          at\n          jws\n          ledger {\n            ...LedgerInclusionFields\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CustomerDataFlows($id: ID!) {\n    customerDataFlows(customerId: $id) {\n      customerId\n      receivedCopies\n      shares {\n        envelopeId\n        recipient\n        agreementId\n        consentId\n        categories\n        channel\n        records\n        sentAt\n        purgeStatus\n        purgeRequestedAt\n        purgeConfirmedAt\n      }\n      accesses {\n        accessId\n        accessedAt\n        userName\n        originPartnerIds\n        consentIds\n      }\n    }\n  }\n"): (typeof documents)["\n  query CustomerDataFlows($id: ID!) {\n    customerDataFlows(customerId: $id) {\n      customerId\n      receivedCopies\n      shares {\n        envelopeId\n        recipient\n        agreementId\n        consentId\n        categories\n        channel\n        records\n        sentAt\n        purgeStatus\n        purgeRequestedAt\n        purgeConfirmedAt\n      }\n      accesses {\n        accessId\n        accessedAt\n        userName\n        originPartnerIds\n        consentIds\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CustomerAccessReport($id: ID!) {\n    customerAccessReport(customerId: $id) {\n      html\n      json\n    }\n  }\n"): (typeof documents)["\n  query CustomerAccessReport($id: ID!) {\n    customerAccessReport(customerId: $id) {\n      html\n      json\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ErasureFields on ErasureRequest {\n    id\n    customerId\n    reason\n    requestedAt\n    complete\n    erased\n    withdrawnConsentIds\n    recipients {\n      consentId\n      recipient\n      status\n      confirmedAt\n      recordsPurged\n      receiptJws\n      lastError\n    }\n  }\n"): (typeof documents)["\n  fragment ErasureFields on ErasureRequest {\n    id\n    customerId\n    reason\n    requestedAt\n    complete\n    erased\n    withdrawnConsentIds\n    recipients {\n      consentId\n      recipient\n      status\n      confirmedAt\n      recordsPurged\n      receiptJws\n      lastError\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ErasureRequests($first: Int) {\n    erasureRequests(first: $first) {\n      nodes {\n        ...ErasureFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query ErasureRequests($first: Int) {\n    erasureRequests(first: $first) {\n      nodes {\n        ...ErasureFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EraseCustomer($customerId: ID!, $reason: String!) {\n    eraseCustomer(customerId: $customerId, reason: $reason) {\n      ...ErasureFields\n    }\n  }\n"): (typeof documents)["\n  mutation EraseCustomer($customerId: ID!, $reason: String!) {\n    eraseCustomer(customerId: $customerId, reason: $reason) {\n      ...ErasureFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ComplianceViolations {\n    complianceViolations {\n      generatedAt\n      total\n      checks {\n        kind\n        count\n        description\n      }\n      violations {\n        kind\n        side\n        at\n        partnerId\n        consentId\n        agreementId\n        envelopeId\n        recordId\n        detail\n      }\n    }\n  }\n"): (typeof documents)["\n  query ComplianceViolations {\n    complianceViolations {\n      generatedAt\n      total\n      checks {\n        kind\n        count\n        description\n      }\n      violations {\n        kind\n        side\n        at\n        partnerId\n        consentId\n        agreementId\n        envelopeId\n        recordId\n        detail\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RecordsOfProcessing {\n    recordsOfProcessing {\n      controller\n      federationId\n      generatedAt\n      ledgerSize\n      securityMeasures\n      ledgerCounts {\n        kind\n        count\n      }\n      activities {\n        purpose\n        description\n        legalBasis\n        categoriesOfDataSubjects\n        categoriesOfData {\n          category\n          description\n        }\n        recipients\n        sources\n        retention\n        consentsLive\n        consentsWithdrawn\n        consentsExpired\n        transfers {\n          partnerId\n          agreementId\n          direction\n          safeguards\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query RecordsOfProcessing {\n    recordsOfProcessing {\n      controller\n      federationId\n      generatedAt\n      ledgerSize\n      securityMeasures\n      ledgerCounts {\n        kind\n        count\n      }\n      activities {\n        purpose\n        description\n        legalBasis\n        categoriesOfDataSubjects\n        categoriesOfData {\n          category\n          description\n        }\n        recipients\n        sources\n        retention\n        consentsLive\n        consentsWithdrawn\n        consentsExpired\n        transfers {\n          partnerId\n          agreementId\n          direction\n          safeguards\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LedgerOverview {\n    ledgerHead {\n      origin\n      size\n      rootHash\n      pending\n      checkpointKey\n      latestCheckpoint {\n        size\n        rootHash\n        createdAt\n        signerKid\n        signerName\n        note\n      }\n    }\n    ledgerCheckpoints(first: 10) {\n      nodes {\n        size\n        rootHash\n        createdAt\n        signerKid\n        note\n      }\n    }\n    ledgerFederationCheckpoints(first: 10) {\n      nodes {\n        id\n        origin\n        size\n        rootHash\n        receivedAt\n        status\n      }\n    }\n    ledgerAlerts(first: 20) {\n      nodes {\n        id\n        kind\n        message\n        createdAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query LedgerOverview {\n    ledgerHead {\n      origin\n      size\n      rootHash\n      pending\n      checkpointKey\n      latestCheckpoint {\n        size\n        rootHash\n        createdAt\n        signerKid\n        signerName\n        note\n      }\n    }\n    ledgerCheckpoints(first: 10) {\n      nodes {\n        size\n        rootHash\n        createdAt\n        signerKid\n        note\n      }\n    }\n    ledgerFederationCheckpoints(first: 10) {\n      nodes {\n        id\n        origin\n        size\n        rootHash\n        receivedAt\n        status\n      }\n    }\n    ledgerAlerts(first: 20) {\n      nodes {\n        id\n        kind\n        message\n        createdAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExportLedger {\n    exportLedger\n  }\n"): (typeof documents)["\n  query ExportLedger {\n    exportLedger\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;