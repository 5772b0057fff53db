import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLError, GraphQLScalarType, Kind, valueFromASTUntyped } from 'graphql';
import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export enum SegmentKind {
  RULE = 'rule',
  STATIC = 'static',
  MERGED = 'merged',
}
registerEnumType(SegmentKind, {
  name: 'SegmentKind',
  description:
    'RULE: members computed from a rule and refreshed; STATIC: a list edited by hand; MERGED: the consented intersection of a segment merge with a partner (see materialiseMergedSegment).',
});

/**
 * The rule of a segment, as JSON. The scalar accepts any JSON so that the server (not the GraphQL
 * layer) validates it and names the offending path, e.g. `rule.all[1].op`. Language: libs/segments.
 */
export const SegmentRuleScalar = new GraphQLScalarType({
  name: 'SegmentRule',
  description:
    'A segment rule (JSON): {"all":[…]}, {"any":[…]}, {"not":…} or a condition ' +
    '{"field","op","value","key"?,"windowDays"?}. Fields: lifecycle_stage, language, country, tags, attribute, ' +
    'days_since_last_order, order_count, revenue, product_category, care_case_count, avg_satisfaction, ' +
    'company_industry, company_size. See docs in libs/segments/src/rule.ts.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => {
    if (ast.kind === Kind.NULL) throw new GraphQLError('SegmentRule must not be null');
    return valueFromASTUntyped(ast, variables);
  },
});

@ObjectType({ description: 'A market segment: customers selected by a rule, or a static list.' })
@Entity('segment')
export class Segment {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field()
  @Column('text')
  name: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  description: string | null;

  @Field(() => SegmentKind)
  @Column('text')
  kind: SegmentKind;

  @Field(() => SegmentRuleScalar, { nullable: true, description: 'The rule (RULE segments only).' })
  @Column('jsonb', { nullable: true })
  rule: unknown;

  @Field(() => Int, { description: 'Grows by one each time the rule changes.' })
  @Column('int')
  ruleVersion: number;

  @Field(() => Int, {
    nullable: true,
    description: 'Refreshed by the scheduler every so many minutes (5 to 10080); null: on demand only.',
  })
  @Column('int', { nullable: true })
  refreshEveryMinutes: number | null;

  @Field(() => Int, { description: 'Members at the last refresh or list change.' })
  @Column('int')
  size: number;

  @Field(() => Date, { nullable: true, description: 'When a refresh was last asked for.' })
  @Column('timestamptz', { nullable: true })
  refreshRequestedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'The time the membership was last computed as of.' })
  @Column('timestamptz', { nullable: true })
  refreshedAt: Date | null;

  @Column('uuid', { nullable: true })
  createdBy: string | null;

  @Field()
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}

@ObjectType({ description: 'A customer in a segment, since when.' })
@Entity('segment_member')
export class SegmentMember {
  @PrimaryColumn('uuid')
  segmentId: string;

  @Field(() => ID)
  @PrimaryColumn('uuid')
  customerId: string;

  @Field({ description: 'When the customer entered the segment (the refresh time, or the list edit).' })
  @Column('timestamptz')
  addedAt: Date;
}

@ObjectType({ description: 'The size of a segment at a time.' })
export class SegmentSizePoint {
  @Field(() => Int)
  size: number;
  @Field()
  at: Date;
}
