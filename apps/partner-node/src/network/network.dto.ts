import { Field, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsString, IsUrl, Length, MaxLength } from 'class-validator';

@InputType()
export class ApplyForMembershipInput {
  @Field({ description: 'The company name the federation shows to other members.' })
  @IsString()
  @Length(1, 200)
  name: string;

  @Field({ description: "This node's public base URL, e.g. https://crm.example.com." })
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  @MaxLength(2048)
  endpoint: string;
}

@ObjectType()
export class DirectoryRefreshResult {
  @Field(() => Int, { description: 'Members whose statements verified (cached).' })
  members: number;
  @Field(() => Int, { description: 'Entries refused (recorded in refusals).' })
  refused: number;
}

@ObjectType()
export class KeyRotationResult {
  @Field({ description: 'Whether the federation was told (only members announce rotations).' })
  announced: boolean;
  @Field(() => [String])
  newKids: string[];
  @Field(() => [String])
  retiredKids: string[];
}

@ObjectType({ description: 'A key of a member, as the directory lists it.' })
export class DirectoryMemberKey {
  @Field()
  kid: string;
  @Field({ description: 'Ed25519 (signing) or X25519 (agreement).' })
  curve: string;
  @Field({ description: 'current, retiring (grace period) or historical (verifies older signatures only).' })
  state: string;
  @Field()
  addedAt: Date;
  @Field(() => Date, { nullable: true })
  retiresAt: Date | null;
}
