import { graphql } from './gql';

export const SegmentSummary = graphql(`
  fragment SegmentSummary on Segment {
    id
    name
    description
    kind
    size
    refreshedAt
    refreshPending
    ruleVersion
    updatedAt
  }
`);

export const SegmentsList = graphql(`
  query SegmentsList($after: String) {
    segments(first: 100, after: $after) {
      nodes {
        ...SegmentSummary
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const SegmentDetail = graphql(`
  query SegmentDetail($id: ID!) {
    segment(id: $id) {
      ...SegmentSummary
      rule
      refreshEveryMinutes
      sizeHistory {
        at
        size
      }
      members(first: 50) {
        nodes {
          customerId
          addedAt
          customer {
            id
            displayName
            externalId
          }
        }
        pageInfo {
          hasNextPage
        }
      }
    }
  }
`);

export const PreviewSegmentRule = graphql(`
  query PreviewSegmentRule($rule: SegmentRule!) {
    previewSegmentRule(rule: $rule) {
      size
    }
  }
`);

export const CreateSegment = graphql(`
  mutation CreateSegment($input: CreateSegmentInput!) {
    createSegment(input: $input) {
      ...SegmentSummary
    }
  }
`);

export const UpdateSegment = graphql(`
  mutation UpdateSegment($id: ID!, $input: UpdateSegmentInput!) {
    updateSegment(id: $id, input: $input) {
      ...SegmentSummary
      rule
    }
  }
`);

export const RefreshSegment = graphql(`
  mutation RefreshSegment($id: ID!) {
    refreshSegment(id: $id) {
      segmentId
      jobId
    }
  }
`);

export const SearchForList = graphql(`
  query SearchForList($query: String!) {
    searchCustomers(query: $query, first: 8) {
      id
      displayName
      externalId
    }
  }
`);

export const AddSegmentMembers = graphql(`
  mutation AddSegmentMembers($input: SegmentListEditInput!) {
    addSegmentMembers(input: $input) {
      ...SegmentSummary
    }
  }
`);

export const RemoveSegmentMembers = graphql(`
  mutation RemoveSegmentMembers($input: SegmentListEditInput!) {
    removeSegmentMembers(input: $input) {
      ...SegmentSummary
    }
  }
`);

export const ImportSegmentMembers = graphql(`
  mutation ImportSegmentMembers($input: ImportSegmentMembersInput!) {
    importSegmentMembers(input: $input) {
      added
      errors {
        line
        message
      }
      segment {
        ...SegmentSummary
      }
    }
  }
`);

export const RfmFields = graphql(`
  fragment RfmFields on RfmDistribution {
    asOf
    refreshedAt
    stale
    refreshEverySeconds
    customers
    windowDays
    cells {
      recency
      frequency
      monetary
      customers
    }
  }
`);

export const RefreshRfm = graphql(`
  mutation RefreshRfm {
    refreshRfmDistribution {
      ...RfmFields
    }
  }
`);

export const Statistics = graphql(`
  query Statistics($currency: String!, $months: Int, $from: DateTime) {
    salesByMonth(input: { currency: $currency, months: $months, projectMonths: 3 }) {
      currency
      months {
        month
        orders
        revenue
      }
      projection {
        month
        revenue
      }
      trend {
        intercept
        slope
        points
      }
    }
    salesByCategory(input: { currency: $currency, from: $from }) {
      category
      orders
      quantity
      revenue
    }
    rfmDistribution {
      ...RfmFields
    }
    careSatisfactionByMonth(input: { months: $months }) {
      month
      cases
      rated
      average
    }
  }
`);

export const CampaignFields = graphql(`
  fragment CampaignFields on Campaign {
    id
    name
    description
    channel
    status
    startsAt
    endsAt
    launchedAt
    audienceSize
    segmentId
    segment {
      id
      name
      kind
    }
    results {
      reach
      responses
      conversions
      responseRate
      conversionRate
      orders
      revenue {
        amount
        currency
      }
    }
  }
`);

export const CampaignsList = graphql(`
  query CampaignsList {
    campaigns(first: 100) {
      nodes {
        ...CampaignFields
      }
    }
  }
`);

export const CampaignDetail = graphql(`
  query CampaignDetail($id: ID!) {
    campaign(id: $id) {
      ...CampaignFields
    }
  }
`);

export const CreateCampaign = graphql(`
  mutation CreateCampaign($input: CreateCampaignInput!) {
    createCampaign(input: $input) {
      ...CampaignFields
    }
  }
`);

export const LaunchCampaign = graphql(`
  mutation LaunchCampaign($id: ID!) {
    launchCampaign(id: $id) {
      ...CampaignFields
    }
  }
`);

export const RecordCampaignResponse = graphql(`
  mutation RecordCampaignResponse($input: CampaignResponseInput!) {
    recordCampaignResponse(input: $input) {
      ...CampaignFields
    }
  }
`);

export const RecordCampaignConversion = graphql(`
  mutation RecordCampaignConversion($input: CampaignResponseInput!) {
    recordCampaignConversion(input: $input) {
      ...CampaignFields
    }
  }
`);

export const MergeFields = graphql(`
  fragment MergeFields on SegmentMerge {
    id
    agreementId
    partnerId
    role
    state
    error
    bucketBy
    createdAt
    updatedAt
    segment {
      id
      name
      size
    }
    mergedSegment {
      id
      name
      size
    }
  }
`);

export const MergesList = graphql(`
  query MergesList {
    segmentMerges(first: 100) {
      nodes {
        ...MergeFields
      }
    }
  }
`);

export const MergeAgreements = graphql(`
  query MergeAgreements {
    mergeAgreements {
      agreementId
      partnerId
      minCohortSize
    }
  }
`);

export const MergeDetail = graphql(`
  query MergeDetail($id: ID!) {
    segmentMerge(id: $id) {
      ...MergeFields
      resultJws
      federationJwks
      counts {
        ours
        theirs
        both
        either
        onlyOurs
        onlyTheirs
        consentedPeople
        minCohortSize
        ourBuckets {
          bucket
          people
          both
          only
        }
        theirBuckets {
          bucket
          people
          both
          only
        }
      }
    }
  }
`);

export const ProposeSegmentMerge = graphql(`
  mutation ProposeSegmentMerge($input: ProposeSegmentMergeInput!) {
    proposeSegmentMerge(input: $input) {
      ...MergeFields
    }
  }
`);

export const AcceptSegmentMerge = graphql(`
  mutation AcceptSegmentMerge($input: AcceptSegmentMergeInput!) {
    acceptSegmentMerge(input: $input) {
      ...MergeFields
    }
  }
`);

export const MaterialiseMergedSegment = graphql(`
  mutation MaterialiseMergedSegment($input: MaterialiseMergedSegmentInput!) {
    materialiseMergedSegment(input: $input) {
      ...SegmentSummary
    }
  }
`);

export const DeclineSegmentMerge = graphql(`
  mutation DeclineSegmentMerge($mergeId: ID!) {
    declineSegmentMerge(mergeId: $mergeId) {
      ...MergeFields
    }
  }
`);
