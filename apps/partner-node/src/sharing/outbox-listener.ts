import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import pg from 'pg';
import { getLogger } from '#platform/logging/logger';
import type { PartnerNodeConfig } from '../config.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import { OutboxService } from './outbox.service.js';

const CHANNEL = 'share_outbox';
const RECONNECT_MS = 1000;

/**
 * Push without waiting for a sweep (invariant 7 unchanged): a dedicated PostgreSQL session
 * LISTENs on `share_outbox` (NOTIFY is sent at commit by the outbox trigger) and drains the outbox
 * at once. Drains are coalesced: at most one runs in this process, and a notification that arrives
 * meanwhile runs one more after it. Concurrent drains in other processes are safe (the drain locks
 * its rows with SKIP LOCKED), deliveries keep their envelope id as job id, and the periodic sweep
 * remains the safety net for whatever a lost session or a queue outage missed.
 *
 * Only with a PostgreSQL server (DATABASE_URL): the embedded database keeps the sweep alone.
 */
@Injectable()
export class OutboxListener implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = getLogger().child({ context: 'sharing-outbox-listener' });
  private client: pg.Client | undefined;
  private stopped = true;
  private draining: Promise<void> | undefined;
  private again = false;
  private reconnect: NodeJS.Timeout | undefined;

  constructor(
    @Inject(PARTNER_NODE_CONFIG) private readonly config: PartnerNodeConfig,
    private readonly outbox: OutboxService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.database.url) void this.start();
  }

  // Before the data source closes (modules are destroyed before the application shuts down).
  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  get listening(): boolean {
    return this.client !== undefined;
  }

  /** Connects and listens (idempotent); then drains once, for rows committed while not listening. */
  async start(): Promise<void> {
    if (!this.config.database.url || !this.stopped) return;
    this.stopped = false;
    await this.connect();
  }

  /** Stops listening and waits for a running drain; the sweep alone then pushes (benchmarks, tests). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnect);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
    await this.draining;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.config.database.url });
    client.on('notification', () => this.kick());
    client.on('error', (error) => this.lost(client, error));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      this.lost(client, error);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.kick();
  }

  private lost(client: pg.Client, error: unknown): void {
    if (this.client === client) this.client = undefined;
    client.end().catch(() => undefined);
    if (this.stopped || this.reconnect) return;
    this.logger.warn({ err: String(error) }, 'outbox listener lost its session; reconnecting');
    this.reconnect = setTimeout(() => {
      this.reconnect = undefined;
      if (!this.stopped) void this.connect();
    }, RECONNECT_MS);
  }

  /** Runs a drain now, or once more after the one running. */
  private kick(): void {
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = (async () => {
      do {
        this.again = false;
        try {
          await this.outbox.drain();
        } catch (error) {
          // The rows stay in the outbox: the next notification or the sweep takes them.
          this.logger.warn({ err: String(error) }, 'outbox drain after a notification failed');
        }
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.draining = undefined;
    });
  }
}
