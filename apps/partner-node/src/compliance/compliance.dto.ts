import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';

@ArgsType()
export class ComplianceCustomerArgs {
  @Field(() => ID)
  @IsUUID()
  customerId: string;
}

@ArgsType()
export class EraseCustomerArgs {
  @Field(() => ID)
  @IsUUID()
  customerId: string;

  @Field({
    description: 'Why (e.g. "customer request of 2026-12-01"); kept with the erasure, 1 to 500 characters.',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}

@ArgsType()
export class ErasureRequestArgs {
  @Field(() => ID)
  @IsUUID()
  id: string;
}
