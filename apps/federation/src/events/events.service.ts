import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { LedgerService, canonicalEntry } from '#ledger';
import { nowSeconds } from '#protocol';
import { fromPackedTextArray, packedTextArray } from '#platform/database/packed-text-array';
import { arrayLiteral } from '#platform/database/array-literal';
import { paginate, type ConnectionShape } from '#platform/graphql/connection';
import { LedgerMessagesRepository, type HashedMessage } from '../ledger/ledger-messages.repository.js';
import type { FederationEventsArgs } from './events.resolver.js';
import { FederationEvent } from './federation-event.entity.js';

export type FederationEventType =
  | 'membership.admitted'
  | 'membership.rejected'
  | 'membership.suspended'
  | 'membership.reinstated'
  | 'membership.renewed'
  | 'keys.rotated'
  | 'federation.key-rotated'
  | 'agreement.proposed'
  | 'agreement.accepted'
  | 'agreement.activated'
  | 'agreement.terminated'
  | 'consent.registered'
  | 'consent.withdrawn'
  /** An envelope the relay delivered to its recipient (ids, kids and its hash; never its records). */
  | 'envelope.relayed'
  /** A signed purge receipt the relay carried back from a recipient to the controller. */
  | 'purge.receipt-relayed'
  /** A purge receipt registered with the federation directly (reserved: no endpoint takes one yet). */
  | 'purge.receipt-registered'
  /** Segment merges (appended by the merge module). */
  | 'merge.proposed'
  | 'merge.accepted'
  | 'merge.manifest'
  | 'merge.result';

/** Every event type, in the order of the union (what the ledger tests walk through). */
export const FEDERATION_EVENT_TYPES: readonly FederationEventType[] = [
  'membership.admitted',
  'membership.rejected',
  'membership.suspended',
  'membership.reinstated',
  'membership.renewed',
  'keys.rotated',
  'federation.key-rotated',
  'agreement.proposed',
  'agreement.accepted',
  'agreement.activated',
  'agreement.terminated',
  'consent.registered',
  'consent.withdrawn',
  'envelope.relayed',
  'purge.receipt-relayed',
  'purge.receipt-registered',
  'merge.proposed',
  'merge.accepted',
  'merge.manifest',
  'merge.result',
];

export interface AppendOptions {
  /** NumericDate of the event (default: now). */
  at?: number;
  /**
   * Signed messages (compact JWS) that the body names by `jwsHash` (messageHash, statementHash…):
   * kept beside the ledger so that its export carries them and the offline verifier checks their
   * signatures (with its hash when the caller has it: `hashedMessage`). Never pass a message whose
   * payload holds clear personal data.
   */
  signed?: readonly (string | HashedMessage)[];
}

/**
 * Appends to federation_event and to the federation ledger, in the caller's transaction, so an
 * event and its ledger entry exist exactly when its change does. Bodies name ids, kids and
 * message hashes (`jwsHash`), never personal data; the ledger entry's data is the event's
 * canonical JSON, verbatim.
 *
 * The ledger entry takes the group-commit path (LedgerService.enqueue): the queue row commits with
 * the change (durable, and gone if it rolls back), but the transaction never locks the ledger head,
 * so concurrent relays, consent registrations and membership changes do not queue up behind one
 * another (the bench measures 0.31 of plain INSERT throughput with the lock, 0.81 without). The
 * sequencer (FederationLedgerService) then gives committed rows their seq, gap-free, in queue order,
 * a batch per commit; checkpoints are signed over what it has sequenced.
 */
@Injectable()
export class EventsService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly messages: LedgerMessagesRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** The event log, oldest first, about one subject or all. */
  page(args: FederationEventsArgs): Promise<ConnectionShape<FederationEvent>> {
    const query = this.dataSource.getRepository(FederationEvent).createQueryBuilder('e');
    if (args.subject) query.where('e.subject = :subject', { subject: args.subject });
    return paginate(
      query,
      { column: 'e.seq', value: (e) => Number(e.seq), direction: 'ASC', idColumn: 'e.id', id: (e) => e.id },
      args,
    );
  }

  async append(
    m: EntityManager,
    type: FederationEventType,
    subject: string,
    body: Record<string, unknown>,
    options: AppendOptions = {},
  ): Promise<void> {
    const at = options.at ?? nowSeconds();
    const entry = canonicalEntry({ ...body, type, subject, at });
    await m.query(
      `INSERT INTO federation_event (type, subject, canonical, occurred_at) VALUES ($1, $2, $3, to_timestamp($4))`,
      [type, subject, entry.text, at],
    );
    await this.messages.store(m, options.signed ?? []);
    await this.ledger.enqueue(m, type, entry);
  }

  /**
   * `append` for several events in one statement each (a batch of registrations): each event,
   * ledger entry and signed message as `append` writes it; each row's time its own
   * (clock_timestamp), as separate appends would have stored.
   *
   * The ledger entries are appended at once (LedgerService.appendMany), not queued: for a batch,
   * one lock of the ledger head is cheaper than a queue row per entry written, read back by the
   * sequencer and deleted. Call it last in the transaction: the head stays locked until the
   * commit, so only the commits of concurrent batches wait for one another.
   */
  async appendMany(
    m: EntityManager,
    events: readonly {
      type: FederationEventType;
      subject: string;
      body: Record<string, unknown>;
      options?: AppendOptions;
    }[],
  ): Promise<void> {
    if (events.length === 0) return;
    const now = nowSeconds();
    const rows = events.map((e) => {
      const at = e.options?.at ?? now;
      return {
        type: e.type,
        subject: e.subject,
        at,
        entry: canonicalEntry({ ...e.body, type: e.type, subject: e.subject, at }),
      };
    });
    await m.query(
      `INSERT INTO federation_event (type, subject, canonical, occurred_at)
       SELECT t, s, c, to_timestamp(a) FROM unnest($1::text[], $2::text[], ${fromPackedTextArray('$3')}, $4::bigint[]) WITH ORDINALITY AS u(t, s, c, a, n)
        ORDER BY n`,
      [
        arrayLiteral(rows.map((r) => r.type)),
        arrayLiteral(rows.map((r) => r.subject)),
        packedTextArray(rows.map((r) => r.entry.text)),
        arrayLiteral(rows.map((r) => r.at)),
      ],
    );
    await this.messages.store(
      m,
      events.flatMap((e) => e.options?.signed ?? []),
      { eachTimed: true },
    );
    await this.ledger.appendMany(
      m,
      rows.map((r) => ({ kind: r.type, entry: r.entry })),
      { time: 'distinct' },
    );
  }
}
