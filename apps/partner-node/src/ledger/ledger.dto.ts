import { ArgsType } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageArgs } from '#platform/graphql/connection';

/** PageArgs with the validation rules the edge pipe needs (it refuses undecorated properties). */
@ArgsType()
export class LedgerPageArgs extends PageArgs {
  @IsOptional()
  @IsInt()
  override first?: number;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  override after?: string;
}
