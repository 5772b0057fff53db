import { registerEnumType } from '@nestjs/graphql';

/** What a person may do at this node. One user can hold several roles. */
export enum Role {
  ADMIN = 'admin',
  AGENT = 'agent',
  MARKETER = 'marketer',
  COMPLIANCE = 'compliance',
}
registerEnumType(Role, {
  name: 'Role',
  description: 'admin, agent (customer care), marketer, compliance officer',
});

export const ALL_ROLES = Object.values(Role);
