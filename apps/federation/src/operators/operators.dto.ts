import { Field, InputType, ObjectType } from '@nestjs/graphql';
import { IsEmail, IsString, MaxLength } from 'class-validator';
import { Operator } from './operator.entity.js';

@InputType()
export class OperatorLoginInput {
  @Field()
  @IsEmail()
  @MaxLength(254)
  email: string;

  @Field()
  @IsString()
  @MaxLength(200)
  password: string;
}

@ObjectType()
export class OperatorLoginResult {
  @Field({ description: 'Send as "Authorization: Bearer <token>".' })
  token: string;
  @Field()
  expiresAt: Date;
  @Field(() => Operator)
  operator: Operator;
}
