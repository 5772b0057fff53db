import { registerEnumType } from '@nestjs/graphql';

export enum CareCaseStatus {
  OPEN = 'open',
  PENDING = 'pending',
  RESOLVED = 'resolved',
  CLOSED = 'closed',
}
registerEnumType(CareCaseStatus, {
  name: 'CareCaseStatus',
  description: 'open, pending (waiting for the customer or a third party), resolved, closed',
});

export enum CareCasePriority {
  LOW = 'low',
  NORMAL = 'normal',
  HIGH = 'high',
  URGENT = 'urgent',
}
registerEnumType(CareCasePriority, { name: 'CareCasePriority' });

/** Ranks of the priorities, for sorting (URGENT first when descending). */
export const PRIORITY_RANK: Record<CareCasePriority, number> = {
  [CareCasePriority.LOW]: 0,
  [CareCasePriority.NORMAL]: 1,
  [CareCasePriority.HIGH]: 2,
  [CareCasePriority.URGENT]: 3,
};

/**
 * The allowed status changes. A case is resolved only with a resolution text; resolved and closed
 * cases reopen only to OPEN; a closed case changes to nothing else.
 */
export const CARE_CASE_TRANSITIONS: Record<CareCaseStatus, readonly CareCaseStatus[]> = {
  [CareCaseStatus.OPEN]: [CareCaseStatus.PENDING, CareCaseStatus.RESOLVED, CareCaseStatus.CLOSED],
  [CareCaseStatus.PENDING]: [CareCaseStatus.OPEN, CareCaseStatus.RESOLVED, CareCaseStatus.CLOSED],
  [CareCaseStatus.RESOLVED]: [CareCaseStatus.CLOSED, CareCaseStatus.OPEN],
  [CareCaseStatus.CLOSED]: [CareCaseStatus.OPEN],
};

export function canTransition(from: CareCaseStatus, to: CareCaseStatus): boolean {
  return CARE_CASE_TRANSITIONS[from].includes(to);
}

/** Feedback (satisfaction) may be given only once the case is resolved or closed. */
export const FEEDBACK_STATUSES: readonly CareCaseStatus[] = [CareCaseStatus.RESOLVED, CareCaseStatus.CLOSED];

export enum CareCaseSort {
  OPENED_AT_DESC = 'opened_at_desc',
  OPENED_AT_ASC = 'opened_at_asc',
  DUE_AT_ASC = 'due_at_asc',
  PRIORITY_DESC = 'priority_desc',
  UPDATED_AT_DESC = 'updated_at_desc',
}
registerEnumType(CareCaseSort, {
  name: 'CareCaseSort',
  description: 'Default: OPENED_AT_DESC. DUE_AT_ASC lists cases without a due time last.',
});
