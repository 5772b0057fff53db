import { ArgsType, Field, Int, ObjectType, Query, Resolver, Args } from '@nestjs/graphql';
import { Injectable } from '@nestjs/common';
import { IsDate, IsOptional } from 'class-validator';
import { Allow } from '#platform/auth/allow.decorator';
import { ValidationError } from '#platform/errors/app-errors';
import { FederationRole } from '../operators/role.js';
import { RelayLogRepository } from './relay-log.repository.js';

/** Relay outcomes that mean "carried": everything else (refused, timeout, unreachable…) is a failure. */
const CARRIED = ['ok', 'empty', 'delivered', 'purged'];

@ObjectType({ description: 'What the relay carried from one member to another over a period (counts only).' })
export class RelayPairTraffic {
  @Field({ description: 'The member that sent or asked.' })
  fromPartner: string;
  @Field({ description: 'The member it went to.' })
  toPartner: string;
  @Field(() => Int, { description: 'History requests (pulls).' })
  historyRequests: number;
  @Field(() => Int, { description: 'Share envelopes (pushes).' })
  envelopes: number;
  @Field(() => Int, { description: 'Withdrawals carried to recipients.' })
  withdrawals: number;
  @Field(() => Int, { description: 'Of them, not carried: refused, timed out, unreachable…' })
  failed: number;
  @Field({ description: 'The latest one.' })
  lastAt: Date;
}

@ArgsType()
export class RelayTrafficArgs {
  @Field({ nullable: true, description: 'From this time (inclusive; default: 30 days ago).' })
  @IsOptional()
  @IsDate()
  from?: Date;

  @Field({ nullable: true, description: 'Before this time (exclusive; default: now).' })
  @IsOptional()
  @IsDate()
  to?: Date;
}

/** Counts of relay_log (owned by the relay module) per ordered pair of members: metadata only. */
@Injectable()
export class RelayTrafficService {
  constructor(private readonly relayLog: RelayLogRepository) {}

  async perPair(from: Date, to: Date): Promise<RelayPairTraffic[]> {
    const rows = await this.relayLog.trafficPerPair(from, to, CARRIED);
    return rows.map((r) => ({
      fromPartner: r.from_partner,
      toPartner: r.to_partner,
      historyRequests: r.history,
      envelopes: r.envelope,
      withdrawals: r.withdrawal,
      failed: r.failed,
      lastAt: r.last_at,
    }));
  }
}

@Resolver(() => RelayPairTraffic)
export class RelayTrafficResolver {
  constructor(private readonly traffic: RelayTrafficService) {}

  @Allow(FederationRole.OPERATOR, FederationRole.COMPLIANCE)
  @Query(() => [RelayPairTraffic], {
    description: 'Relay traffic per ordered pair of members over a period (counts, no payload, no subject).',
  })
  relayTraffic(@Args() args: RelayTrafficArgs): Promise<RelayPairTraffic[]> {
    const to = args.to ?? new Date();
    const from = args.from ?? new Date(to.getTime() - 30 * 86_400_000);
    if (from >= to) throw new ValidationError('from', 'must be before to');
    return this.traffic.perPair(from, to);
  }
}
