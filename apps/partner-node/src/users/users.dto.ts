import { IsReadableEmail } from '#platform/validation/validators';
import { Field, InputType, ObjectType } from '@nestjs/graphql';
import {
  ArrayMinSize,
  ArrayUnique,
  IsEmail,
  IsEnum,
  IsOptional,
  IsString,
  Length,
  MaxLength,
} from 'class-validator';
import { Role } from './role.js';
import { User } from './user.entity.js';

@InputType()
export class LoginInput {
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
export class LoginResult {
  @Field({ description: 'Send as "Authorization: Bearer <token>".' })
  token: string;
  @Field()
  expiresAt: Date;
  @Field(() => User)
  user: User;
}

@InputType()
export class CreateUserInput {
  @Field()
  @IsEmail()
  @IsReadableEmail()
  @MaxLength(254)
  email: string;

  @Field()
  @IsString()
  @Length(1, 200)
  displayName: string;

  @Field(() => [Role])
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsEnum(Role, { each: true })
  roles: Role[];

  @Field({ description: 'At least 12 characters.' })
  @IsString()
  @Length(12, 200)
  password: string;
}

@InputType()
export class UpdateUserInput {
  @Field(() => [Role], { nullable: true })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsEnum(Role, { each: true })
  roles?: Role[];

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  displayName?: string;

  @Field({ nullable: true })
  @IsOptional()
  active?: boolean;

  @Field({ nullable: true, description: 'At least 12 characters.' })
  @IsOptional()
  @IsString()
  @Length(12, 200)
  password?: string;
}
