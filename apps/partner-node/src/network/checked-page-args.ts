import { ArgsType } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageArgs } from '#platform/graphql/connection';

/** PageArgs with validation rules (the edge pipe refuses undecorated properties). */
@ArgsType()
export class CheckedPageArgs extends PageArgs {
  @IsOptional()
  @IsInt()
  override first?: number;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  override after?: string;
}
