import { registerEnumType } from '@nestjs/graphql';

/** What a person may do at the federation. */
export enum FederationRole {
  /** Network operator: admits, suspends and reinstates members, rotates the federation's key. */
  OPERATOR = 'operator',
  /** Compliance officer: reads agreements, the consent registry's counts, refusals and events. */
  COMPLIANCE = 'compliance',
}
registerEnumType(FederationRole, { name: 'FederationRole', description: 'operator, compliance officer' });

export const ALL_FEDERATION_ROLES = Object.values(FederationRole);
