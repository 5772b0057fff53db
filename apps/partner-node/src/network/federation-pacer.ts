import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** The next step starts more than a second after the last answer: never in the same second anywhere. */
const GAP_MS = 1100;
/** A step longer than this (or a process that died holding the lease) no longer holds the others up. */
const LEASE_MS = 5 * 60_000;
const POLL_MS = 100;

/**
 * Keeps the steps of this node's windowed traffic to the federation (issue 16: one agreement
 * pair's batch of consent registrations or withdrawals, one recipient's purge, one pushed
 * envelope) apart in time: one step at a time across all the node's processes (a lease row in
 * PostgreSQL, table federation_pace), each starting more than a second after the previous one's
 * last answer. Whatever the federation records of one step (ledger seconds, relay log, claims'
 * `iat`) then never shares a second with another agreement pair's step.
 *
 * Callers pass `paced = false` when their window is 0 (development, tests): the step runs at once.
 */
@Injectable()
export class FederationPacer {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async run<T>(paced: boolean, step: () => Promise<T>): Promise<T> {
    if (!paced) return step();
    const holder = randomUUID();
    await this.acquire(holder);
    try {
      return await step();
    } finally {
      await this.release(holder);
    }
  }

  private async acquire(holder: string): Promise<void> {
    for (;;) {
      const taken: unknown[] = await this.dataSource.query(
        `WITH taken AS (
           UPDATE federation_pace SET holder = $1, busy_until = clock_timestamp() + $2 * interval '1 millisecond'
            WHERE busy_until <= clock_timestamp() RETURNING 1)
         SELECT * FROM taken`,
        [holder, LEASE_MS],
      );
      if (taken.length > 0) return;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS + Math.floor(Math.random() * POLL_MS)));
    }
  }

  private async release(holder: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE federation_pace SET holder = NULL, busy_until = clock_timestamp() + $2 * interval '1 millisecond'
        WHERE holder = $1`,
      [holder, GAP_MS],
    );
  }
}
