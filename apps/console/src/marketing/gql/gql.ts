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
    "\n  fragment SegmentSummary on Segment {\n    id\n    name\n    description\n    kind\n    size\n    refreshedAt\n    refreshPending\n    ruleVersion\n    updatedAt\n  }\n": typeof types.SegmentSummaryFragmentDoc,
    "\n  query SegmentsList($after: String) {\n    segments(first: 100, after: $after) {\n      nodes {\n        ...SegmentSummary\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.SegmentsListDocument,
    "\n  query SegmentDetail($id: ID!) {\n    segment(id: $id) {\n      ...SegmentSummary\n      rule\n      refreshEveryMinutes\n      sizeHistory {\n        at\n        size\n      }\n      members(first: 50) {\n        nodes {\n          customerId\n          addedAt\n          customer {\n            id\n            displayName\n            externalId\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n": typeof types.SegmentDetailDocument,
    "\n  query PreviewSegmentRule($rule: SegmentRule!) {\n    previewSegmentRule(rule: $rule) {\n      size\n    }\n  }\n": typeof types.PreviewSegmentRuleDocument,
    "\n  mutation CreateSegment($input: CreateSegmentInput!) {\n    createSegment(input: $input) {\n      ...SegmentSummary\n    }\n  }\n": typeof types.CreateSegmentDocument,
    "\n  mutation UpdateSegment($id: ID!, $input: UpdateSegmentInput!) {\n    updateSegment(id: $id, input: $input) {\n      ...SegmentSummary\n      rule\n    }\n  }\n": typeof types.UpdateSegmentDocument,
    "\n  mutation RefreshSegment($id: ID!) {\n    refreshSegment(id: $id) {\n      segmentId\n      jobId\n    }\n  }\n": typeof types.RefreshSegmentDocument,
    "\n  query SearchForList($query: String!) {\n    searchCustomers(query: $query, first: 8) {\n      id\n      displayName\n      externalId\n    }\n  }\n": typeof types.SearchForListDocument,
    "\n  mutation AddSegmentMembers($input: SegmentListEditInput!) {\n    addSegmentMembers(input: $input) {\n      ...SegmentSummary\n    }\n  }\n": typeof types.AddSegmentMembersDocument,
    "\n  mutation RemoveSegmentMembers($input: SegmentListEditInput!) {\n    removeSegmentMembers(input: $input) {\n      ...SegmentSummary\n    }\n  }\n": typeof types.RemoveSegmentMembersDocument,
    "\n  mutation ImportSegmentMembers($input: ImportSegmentMembersInput!) {\n    importSegmentMembers(input: $input) {\n      added\n      errors {\n        line\n        message\n      }\n      segment {\n        ...SegmentSummary\n      }\n    }\n  }\n": typeof types.ImportSegmentMembersDocument,
    "\n  fragment RfmFields on RfmDistribution {\n    asOf\n    refreshedAt\n    stale\n    refreshEverySeconds\n    customers\n    windowDays\n    cells {\n      recency\n      frequency\n      monetary\n      customers\n    }\n  }\n": typeof types.RfmFieldsFragmentDoc,
    "\n  mutation RefreshRfm {\n    refreshRfmDistribution {\n      ...RfmFields\n    }\n  }\n": typeof types.RefreshRfmDocument,
    "\n  query Statistics($currency: String!, $months: Int, $from: DateTime) {\n    salesByMonth(input: { currency: $currency, months: $months, projectMonths: 3 }) {\n      currency\n      months {\n        month\n        orders\n        revenue\n      }\n      projection {\n        month\n        revenue\n      }\n      trend {\n        intercept\n        slope\n        points\n      }\n    }\n    salesByCategory(input: { currency: $currency, from: $from }) {\n      category\n      orders\n      quantity\n      revenue\n    }\n    rfmDistribution {\n      ...RfmFields\n    }\n    careSatisfactionByMonth(input: { months: $months }) {\n      month\n      cases\n      rated\n      average\n    }\n  }\n": typeof types.StatisticsDocument,
    "\n  fragment CampaignFields on Campaign {\n    id\n    name\n    description\n    channel\n    status\n    startsAt\n    endsAt\n    launchedAt\n    audienceSize\n    segmentId\n    segment {\n      id\n      name\n      kind\n    }\n    results {\n      reach\n      responses\n      conversions\n      responseRate\n      conversionRate\n      orders\n      revenue {\n        amount\n        currency\n      }\n    }\n  }\n": typeof types.CampaignFieldsFragmentDoc,
    "\n  query CampaignsList {\n    campaigns(first: 100) {\n      nodes {\n        ...CampaignFields\n      }\n    }\n  }\n": typeof types.CampaignsListDocument,
    "\n  query CampaignDetail($id: ID!) {\n    campaign(id: $id) {\n      ...CampaignFields\n    }\n  }\n": typeof types.CampaignDetailDocument,
    "\n  mutation CreateCampaign($input: CreateCampaignInput!) {\n    createCampaign(input: $input) {\n      ...CampaignFields\n    }\n  }\n": typeof types.CreateCampaignDocument,
    "\n  mutation LaunchCampaign($id: ID!) {\n    launchCampaign(id: $id) {\n      ...CampaignFields\n    }\n  }\n": typeof types.LaunchCampaignDocument,
    "\n  mutation RecordCampaignResponse($input: CampaignResponseInput!) {\n    recordCampaignResponse(input: $input) {\n      ...CampaignFields\n    }\n  }\n": typeof types.RecordCampaignResponseDocument,
    "\n  mutation RecordCampaignConversion($input: CampaignResponseInput!) {\n    recordCampaignConversion(input: $input) {\n      ...CampaignFields\n    }\n  }\n": typeof types.RecordCampaignConversionDocument,
    "\n  fragment MergeFields on SegmentMerge {\n    id\n    agreementId\n    partnerId\n    role\n    state\n    error\n    bucketBy\n    createdAt\n    updatedAt\n    segment {\n      id\n      name\n      size\n    }\n    mergedSegment {\n      id\n      name\n      size\n    }\n  }\n": typeof types.MergeFieldsFragmentDoc,
    "\n  query MergesList {\n    segmentMerges(first: 100) {\n      nodes {\n        ...MergeFields\n      }\n    }\n  }\n": typeof types.MergesListDocument,
    "\n  query MergeAgreements {\n    mergeAgreements {\n      agreementId\n      partnerId\n      minCohortSize\n    }\n  }\n": typeof types.MergeAgreementsDocument,
    "\n  query MergeDetail($id: ID!) {\n    segmentMerge(id: $id) {\n      ...MergeFields\n      resultJws\n      federationJwks\n      counts {\n        ours\n        theirs\n        both\n        either\n        onlyOurs\n        onlyTheirs\n        consentedPeople\n        minCohortSize\n        ourBuckets {\n          bucket\n          people\n          both\n          only\n        }\n        theirBuckets {\n          bucket\n          people\n          both\n          only\n        }\n      }\n    }\n  }\n": typeof types.MergeDetailDocument,
    "\n  mutation ProposeSegmentMerge($input: ProposeSegmentMergeInput!) {\n    proposeSegmentMerge(input: $input) {\n      ...MergeFields\n    }\n  }\n": typeof types.ProposeSegmentMergeDocument,
    "\n  mutation AcceptSegmentMerge($input: AcceptSegmentMergeInput!) {\n    acceptSegmentMerge(input: $input) {\n      ...MergeFields\n    }\n  }\n": typeof types.AcceptSegmentMergeDocument,
    "\n  mutation MaterialiseMergedSegment($input: MaterialiseMergedSegmentInput!) {\n    materialiseMergedSegment(input: $input) {\n      ...SegmentSummary\n    }\n  }\n": typeof types.MaterialiseMergedSegmentDocument,
    "\n  mutation DeclineSegmentMerge($mergeId: ID!) {\n    declineSegmentMerge(mergeId: $mergeId) {\n      ...MergeFields\n    }\n  }\n": typeof types.DeclineSegmentMergeDocument,
};
const documents: Documents = {
    "\n  fragment SegmentSummary on Segment {\n    id\n    name\n    description\n    kind\n    size\n    refreshedAt\n    refreshPending\n    ruleVersion\n    updatedAt\n  }\n": types.SegmentSummaryFragmentDoc,
    "\n  query SegmentsList($after: String) {\n    segments(first: 100, after: $after) {\n      nodes {\n        ...SegmentSummary\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.SegmentsListDocument,
    "\n  query SegmentDetail($id: ID!) {\n    segment(id: $id) {\n      ...SegmentSummary\n      rule\n      refreshEveryMinutes\n      sizeHistory {\n        at\n        size\n      }\n      members(first: 50) {\n        nodes {\n          customerId\n          addedAt\n          customer {\n            id\n            displayName\n            externalId\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n": types.SegmentDetailDocument,
    "\n  query PreviewSegmentRule($rule: SegmentRule!) {\n    previewSegmentRule(rule: $rule) {\n      size\n    }\n  }\n": types.PreviewSegmentRuleDocument,
    "\n  mutation CreateSegment($input: CreateSegmentInput!) {\n    createSegment(input: $input) {\n      ...SegmentSummary\n    }\n  }\n": types.CreateSegmentDocument,
    "\n  mutation UpdateSegment($id: ID!, $input: UpdateSegmentInput!) {\n    updateSegment(id: $id, input: $input) {\n      ...SegmentSummary\n      rule\n    }\n  }\n": types.UpdateSegmentDocument,
    "\n  mutation RefreshSegment($id: ID!) {\n    refreshSegment(id: $id) {\n      segmentId\n      jobId\n    }\n  }\n": types.RefreshSegmentDocument,
    "\n  query SearchForList($query: String!) {\n    searchCustomers(query: $query, first: 8) {\n      id\n      displayName\n      externalId\n    }\n  }\n": types.SearchForListDocument,
    "\n  mutation AddSegmentMembers($input: SegmentListEditInput!) {\n    addSegmentMembers(input: $input) {\n      ...SegmentSummary\n    }\n  }\n": types.AddSegmentMembersDocument,
    "\n  mutation RemoveSegmentMembers($input: SegmentListEditInput!) {\n    removeSegmentMembers(input: $input) {\n      ...SegmentSummary\n    }\n  }\n": types.RemoveSegmentMembersDocument,
    "\n  mutation ImportSegmentMembers($input: ImportSegmentMembersInput!) {\n    importSegmentMembers(input: $input) {\n      added\n      errors {\n        line\n        message\n      }\n      segment {\n        ...SegmentSummary\n      }\n    }\n  }\n": types.ImportSegmentMembersDocument,
    "\n  fragment RfmFields on RfmDistribution {\n    asOf\n    refreshedAt\n    stale\n    refreshEverySeconds\n    customers\n    windowDays\n    cells {\n      recency\n      frequency\n      monetary\n      customers\n    }\n  }\n": types.RfmFieldsFragmentDoc,
    "\n  mutation RefreshRfm {\n    refreshRfmDistribution {\n      ...RfmFields\n    }\n  }\n": types.RefreshRfmDocument,
    "\n  query Statistics($currency: String!, $months: Int, $from: DateTime) {\n    salesByMonth(input: { currency: $currency, months: $months, projectMonths: 3 }) {\n      currency\n      months {\n        month\n        orders\n        revenue\n      }\n      projection {\n        month\n        revenue\n      }\n      trend {\n        intercept\n        slope\n        points\n      }\n    }\n    salesByCategory(input: { currency: $currency, from: $from }) {\n      category\n      orders\n      quantity\n      revenue\n    }\n    rfmDistribution {\n      ...RfmFields\n    }\n    careSatisfactionByMonth(input: { months: $months }) {\n      month\n      cases\n      rated\n      average\n    }\n  }\n": types.StatisticsDocument,
    "\n  fragment CampaignFields on Campaign {\n    id\n    name\n    description\n    channel\n    status\n    startsAt\n    endsAt\n    launchedAt\n    audienceSize\n    segmentId\n    segment {\n      id\n      name\n      kind\n    }\n    results {\n      reach\n      responses\n      conversions\n      responseRate\n      conversionRate\n      orders\n      revenue {\n        amount\n        currency\n      }\n    }\n  }\n": types.CampaignFieldsFragmentDoc,
    "\n  query CampaignsList {\n    campaigns(first: 100) {\n      nodes {\n        ...CampaignFields\n      }\n    }\n  }\n": types.CampaignsListDocument,
    "\n  query CampaignDetail($id: ID!) {\n    campaign(id: $id) {\n      ...CampaignFields\n    }\n  }\n": types.CampaignDetailDocument,
    "\n  mutation CreateCampaign($input: CreateCampaignInput!) {\n    createCampaign(input: $input) {\n      ...CampaignFields\n    }\n  }\n": types.CreateCampaignDocument,
    "\n  mutation LaunchCampaign($id: ID!) {\n    launchCampaign(id: $id) {\n      ...CampaignFields\n    }\n  }\n": types.LaunchCampaignDocument,
    "\n  mutation RecordCampaignResponse($input: CampaignResponseInput!) {\n    recordCampaignResponse(input: $input) {\n      ...CampaignFields\n    }\n  }\n": types.RecordCampaignResponseDocument,
    "\n  mutation RecordCampaignConversion($input: CampaignResponseInput!) {\n    recordCampaignConversion(input: $input) {\n      ...CampaignFields\n    }\n  }\n": types.RecordCampaignConversionDocument,
    "\n  fragment MergeFields on SegmentMerge {\n    id\n    agreementId\n    partnerId\n    role\n    state\n    error\n    bucketBy\n    createdAt\n    updatedAt\n    segment {\n      id\n      name\n      size\n    }\n    mergedSegment {\n      id\n      name\n      size\n    }\n  }\n": types.MergeFieldsFragmentDoc,
    "\n  query MergesList {\n    segmentMerges(first: 100) {\n      nodes {\n        ...MergeFields\n      }\n    }\n  }\n": types.MergesListDocument,
    "\n  query MergeAgreements {\n    mergeAgreements {\n      agreementId\n      partnerId\n      minCohortSize\n    }\n  }\n": types.MergeAgreementsDocument,
    "\n  query MergeDetail($id: ID!) {\n    segmentMerge(id: $id) {\n      ...MergeFields\n      resultJws\n      federationJwks\n      counts {\n        ours\n        theirs\n        both\n        either\n        onlyOurs\n        onlyTheirs\n        consentedPeople\n        minCohortSize\n        ourBuckets {\n          bucket\n          people\n          both\n          only\n        }\n        theirBuckets {\n          bucket\n          people\n          both\n          only\n        }\n      }\n    }\n  }\n": types.MergeDetailDocument,
    "\n  mutation ProposeSegmentMerge($input: ProposeSegmentMergeInput!) {\n    proposeSegmentMerge(input: $input) {\n      ...MergeFields\n    }\n  }\n": types.ProposeSegmentMergeDocument,
    "\n  mutation AcceptSegmentMerge($input: AcceptSegmentMergeInput!) {\n    acceptSegmentMerge(input: $input) {\n      ...MergeFields\n    }\n  }\n": types.AcceptSegmentMergeDocument,
    "\n  mutation MaterialiseMergedSegment($input: MaterialiseMergedSegmentInput!) {\n    materialiseMergedSegment(input: $input) {\n      ...SegmentSummary\n    }\n  }\n": types.MaterialiseMergedSegmentDocument,
    "\n  mutation DeclineSegmentMerge($mergeId: ID!) {\n    declineSegmentMerge(mergeId: $mergeId) {\n      ...MergeFields\n    }\n  }\n": types.DeclineSegmentMergeDocument,
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
export function graphql(source: "\n  fragment SegmentSummary on Segment {\n    id\n    name\n    description\n    kind\n    size\n    refreshedAt\n    refreshPending\n    ruleVersion\n    updatedAt\n  }\n"): (typeof documents)["\n  fragment SegmentSummary on Segment {\n    id\n    name\n    description\n    kind\n    size\n    refreshedAt\n    refreshPending\n    ruleVersion\n    updatedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SegmentsList($after: String) {\n    segments(first: 100, after: $after) {\n      nodes {\n        ...SegmentSummary\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query SegmentsList($after: String) {\n    segments(first: 100, after: $after) {\n      nodes {\n        ...SegmentSummary\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SegmentDetail($id: ID!) {\n    segment(id: $id) {\n      ...SegmentSummary\n      rule\n      refreshEveryMinutes\n      sizeHistory {\n        at\n        size\n      }\n      members(first: 50) {\n        nodes {\n          customerId\n          addedAt\n          customer {\n            id\n            displayName\n            externalId\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query SegmentDetail($id: ID!) {\n    segment(id: $id) {\n      ...SegmentSummary\n      rule\n      refreshEveryMinutes\n      sizeHistory {\n        at\n        size\n      }\n      members(first: 50) {\n        nodes {\n          customerId\n          addedAt\n          customer {\n            id\n            displayName\n            externalId\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PreviewSegmentRule($rule: SegmentRule!) {\n    previewSegmentRule(rule: $rule) {\n      size\n    }\n  }\n"): (typeof documents)["\n  query PreviewSegmentRule($rule: SegmentRule!) {\n    previewSegmentRule(rule: $rule) {\n      size\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateSegment($input: CreateSegmentInput!) {\n    createSegment(input: $input) {\n      ...SegmentSummary\n    }\n  }\n"): (typeof documents)["\n  mutation CreateSegment($input: CreateSegmentInput!) {\n    createSegment(input: $input) {\n      ...SegmentSummary\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateSegment($id: ID!, $input: UpdateSegmentInput!) {\n    updateSegment(id: $id, input: $input) {\n      ...SegmentSummary\n      rule\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateSegment($id: ID!, $input: UpdateSegmentInput!) {\n    updateSegment(id: $id, input: $input) {\n      ...SegmentSummary\n      rule\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefreshSegment($id: ID!) {\n    refreshSegment(id: $id) {\n      segmentId\n      jobId\n    }\n  }\n"): (typeof documents)["\n  mutation RefreshSegment($id: ID!) {\n    refreshSegment(id: $id) {\n      segmentId\n      jobId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SearchForList($query: String!) {\n    searchCustomers(query: $query, first: 8) {\n      id\n      displayName\n      externalId\n    }\n  }\n"): (typeof documents)["\n  query SearchForList($query: String!) {\n    searchCustomers(query: $query, first: 8) {\n      id\n      displayName\n      externalId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddSegmentMembers($input: SegmentListEditInput!) {\n    addSegmentMembers(input: $input) {\n      ...SegmentSummary\n    }\n  }\n"): (typeof documents)["\n  mutation AddSegmentMembers($input: SegmentListEditInput!) {\n    addSegmentMembers(input: $input) {\n      ...SegmentSummary\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveSegmentMembers($input: SegmentListEditInput!) {\n    removeSegmentMembers(input: $input) {\n      ...SegmentSummary\n    }\n  }\n"): (typeof documents)["\n  mutation RemoveSegmentMembers($input: SegmentListEditInput!) {\n    removeSegmentMembers(input: $input) {\n      ...SegmentSummary\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ImportSegmentMembers($input: ImportSegmentMembersInput!) {\n    importSegmentMembers(input: $input) {\n      added\n      errors {\n        line\n        message\n      }\n      segment {\n        ...SegmentSummary\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ImportSegmentMembers($input: ImportSegmentMembersInput!) {\n    importSegmentMembers(input: $input) {\n      added\n      errors {\n        line\n        message\n      }\n      segment {\n        ...SegmentSummary\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RfmFields on RfmDistribution {\n    asOf\n    refreshedAt\n    stale\n    refreshEverySeconds\n    customers\n    windowDays\n    cells {\n      recency\n      frequency\n      monetary\n      customers\n    }\n  }\n"): (typeof documents)["\n  fragment RfmFields on RfmDistribution {\n    asOf\n    refreshedAt\n    stale\n    refreshEverySeconds\n    customers\n    windowDays\n    cells {\n      recency\n      frequency\n      monetary\n      customers\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefreshRfm {\n    refreshRfmDistribution {\n      ...RfmFields\n    }\n  }\n"): (typeof documents)["\n  mutation RefreshRfm {\n    refreshRfmDistribution {\n      ...RfmFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Statistics($currency: String!, $months: Int, $from: DateTime) {\n    salesByMonth(input: { currency: $currency, months: $months, projectMonths: 3 }) {\n      currency\n      months {\n        month\n        orders\n        revenue\n      }\n      projection {\n        month\n        revenue\n      }\n      trend {\n        intercept\n        slope\n        points\n      }\n    }\n    salesByCategory(input: { currency: $currency, from: $from }) {\n      category\n      orders\n      quantity\n      revenue\n    }\n    rfmDistribution {\n      ...RfmFields\n    }\n    careSatisfactionByMonth(input: { months: $months }) {\n      month\n      cases\n      rated\n      average\n    }\n  }\n"): (typeof documents)["\n  query Statistics($currency: String!, $months: Int, $from: DateTime) {\n    salesByMonth(input: { currency: $currency, months: $months, projectMonths: 3 }) {\n      currency\n      months {\n        month\n        orders\n        revenue\n      }\n      projection {\n        month\n        revenue\n      }\n      trend {\n        intercept\n        slope\n        points\n      }\n    }\n    salesByCategory(input: { currency: $currency, from: $from }) {\n      category\n      orders\n      quantity\n      revenue\n    }\n    rfmDistribution {\n      ...RfmFields\n    }\n    careSatisfactionByMonth(input: { months: $months }) {\n      month\n      cases\n      rated\n      average\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CampaignFields on Campaign {\n    id\n    name\n    description\n    channel\n    status\n    startsAt\n    endsAt\n    launchedAt\n    audienceSize\n    segmentId\n    segment {\n      id\n      name\n      kind\n    }\n    results {\n      reach\n      responses\n      conversions\n      responseRate\n      conversionRate\n      orders\n      revenue {\n        amount\n        currency\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment CampaignFields on Campaign {\n    id\n    name\n    description\n    channel\n    status\n    startsAt\n    endsAt\n    launchedAt\n    audienceSize\n    segmentId\n    segment {\n      id\n      name\n      kind\n    }\n    results {\n      reach\n      responses\n      conversions\n      responseRate\n      conversionRate\n      orders\n      revenue {\n        amount\n        currency\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CampaignsList {\n    campaigns(first: 100) {\n      nodes {\n        ...CampaignFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query CampaignsList {\n    campaigns(first: 100) {\n      nodes {\n        ...CampaignFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CampaignDetail($id: ID!) {\n    campaign(id: $id) {\n      ...CampaignFields\n    }\n  }\n"): (typeof documents)["\n  query CampaignDetail($id: ID!) {\n    campaign(id: $id) {\n      ...CampaignFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateCampaign($input: CreateCampaignInput!) {\n    createCampaign(input: $input) {\n      ...CampaignFields\n    }\n  }\n"): (typeof documents)["\n  mutation CreateCampaign($input: CreateCampaignInput!) {\n    createCampaign(input: $input) {\n      ...CampaignFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LaunchCampaign($id: ID!) {\n    launchCampaign(id: $id) {\n      ...CampaignFields\n    }\n  }\n"): (typeof documents)["\n  mutation LaunchCampaign($id: ID!) {\n    launchCampaign(id: $id) {\n      ...CampaignFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RecordCampaignResponse($input: CampaignResponseInput!) {\n    recordCampaignResponse(input: $input) {\n      ...CampaignFields\n    }\n  }\n"): (typeof documents)["\n  mutation RecordCampaignResponse($input: CampaignResponseInput!) {\n    recordCampaignResponse(input: $input) {\n      ...CampaignFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RecordCampaignConversion($input: CampaignResponseInput!) {\n    recordCampaignConversion(input: $input) {\n      ...CampaignFields\n    }\n  }\n"): (typeof documents)["\n  mutation RecordCampaignConversion($input: CampaignResponseInput!) {\n    recordCampaignConversion(input: $input) {\n      ...CampaignFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MergeFields on SegmentMerge {\n    id\n    agreementId\n    partnerId\n    role\n    state\n    error\n    bucketBy\n    createdAt\n    updatedAt\n    segment {\n      id\n      name\n      size\n    }\n    mergedSegment {\n      id\n      name\n      size\n    }\n  }\n"): (typeof documents)["\n  fragment MergeFields on SegmentMerge {\n    id\n    agreementId\n    partnerId\n    role\n    state\n    error\n    bucketBy\n    createdAt\n    updatedAt\n    segment {\n      id\n      name\n      size\n    }\n    mergedSegment {\n      id\n      name\n      size\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MergesList {\n    segmentMerges(first: 100) {\n      nodes {\n        ...MergeFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query MergesList {\n    segmentMerges(first: 100) {\n      nodes {\n        ...MergeFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MergeAgreements {\n    mergeAgreements {\n      agreementId\n      partnerId\n      minCohortSize\n    }\n  }\n"): (typeof documents)["\n  query MergeAgreements {\n    mergeAgreements {\n      agreementId\n      partnerId\n      minCohortSize\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MergeDetail($id: ID!) {\n    segmentMerge(id: $id) {\n      ...MergeFields\n      resultJws\n      federationJwks\n      counts {\n        ours\n        theirs\n        both\n        either\n        onlyOurs\n        onlyTheirs\n        consentedPeople\n        minCohortSize\n        ourBuckets {\n          bucket\n          people\n          both\n          only\n        }\n        theirBuckets {\n          bucket\n          people\n          both\n          only\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query MergeDetail($id: ID!) {\n    segmentMerge(id: $id) {\n      ...MergeFields\n      resultJws\n      federationJwks\n      counts {\n        ours\n        theirs\n        both\n        either\n        onlyOurs\n        onlyTheirs\n        consentedPeople\n        minCohortSize\n        ourBuckets {\n          bucket\n          people\n          both\n          only\n        }\n        theirBuckets {\n          bucket\n          people\n          both\n          only\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ProposeSegmentMerge($input: ProposeSegmentMergeInput!) {\n    proposeSegmentMerge(input: $input) {\n      ...MergeFields\n    }\n  }\n"): (typeof documents)["\n  mutation ProposeSegmentMerge($input: ProposeSegmentMergeInput!) {\n    proposeSegmentMerge(input: $input) {\n      ...MergeFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcceptSegmentMerge($input: AcceptSegmentMergeInput!) {\n    acceptSegmentMerge(input: $input) {\n      ...MergeFields\n    }\n  }\n"): (typeof documents)["\n  mutation AcceptSegmentMerge($input: AcceptSegmentMergeInput!) {\n    acceptSegmentMerge(input: $input) {\n      ...MergeFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MaterialiseMergedSegment($input: MaterialiseMergedSegmentInput!) {\n    materialiseMergedSegment(input: $input) {\n      ...SegmentSummary\n    }\n  }\n"): (typeof documents)["\n  mutation MaterialiseMergedSegment($input: MaterialiseMergedSegmentInput!) {\n    materialiseMergedSegment(input: $input) {\n      ...SegmentSummary\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeclineSegmentMerge($mergeId: ID!) {\n    declineSegmentMerge(mergeId: $mergeId) {\n      ...MergeFields\n    }\n  }\n"): (typeof documents)["\n  mutation DeclineSegmentMerge($mergeId: ID!) {\n    declineSegmentMerge(mergeId: $mergeId) {\n      ...MergeFields\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;