import { Field, Int, ObjectType } from '@nestjs/graphql';
import { AgreementDirection, DataCategory, Purpose } from '../agreements/agreement.enums.js';

/**
 * A partner with an active agreement with this node, as the care desk needs it: whom a consent may
 * name as recipient (OUTBOUND/MUTUAL), and whose shared items an agent reads (INBOUND/MUTUAL),
 * with the purposes and categories the agreement covers. Agreements themselves stay admin-only.
 */
@ObjectType()
export class ConsentPartner {
  @Field()
  partnerId: string;

  @Field({
    description: "The member's name in the verified directory (its id when the directory is unreachable).",
  })
  name: string;

  @Field()
  agreementId: string;

  @Field(() => AgreementDirection)
  direction: AgreementDirection;

  @Field(() => [Purpose])
  purposes: Purpose[];

  @Field(() => [DataCategory])
  categories: DataCategory[];

  @Field(() => Int)
  retentionDays: number;
}
