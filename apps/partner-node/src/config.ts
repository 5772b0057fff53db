import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { HISTORY_REQUEST_MAX_TTL_SECONDS } from '#protocol';
import { env, loadConfig } from '#platform/config/env';

/**
 * Everything the partner node reads from its environment, validated at start: a wrong value
 * stops the process with one line per problem, naming the variable.
 */
const schema = z.object({
  NODE_ENV: env.oneOf(['development', 'production', 'test'], 'development'),
  HOST: z.preprocess((v) => (v === '' ? undefined : v), z.string().default('127.0.0.1')),
  PORT: env.port(4000),
  PARTNER_ID: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be 2-63 lower-case letters, digits or dashes')
      .default('partner-node'),
  ),
  DATABASE_URL: env.url(['postgres', 'postgresql']),
  DATABASE_POOL_SIZE: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce.number().int().min(1).default(10),
  ),
  DATA_DIR: z.preprocess((v) => (v === '' ? undefined : v), z.string().default('.data/partner-node')),
  REDIS_URL: env.url(['redis', 'rediss']),
  /** Key prefix of the node's BullMQ queues; default `concordia:<PARTNER_ID>`. `{…}` hash-tags it for Redis Cluster. */
  REDIS_PREFIX: env.redisPrefix(),
  /** false: an API-only replica; its queue jobs run in the worker processes (needs REDIS_URL). */
  QUEUE_WORKERS: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['true', 'false']).default('true')),
  RUN_MIGRATIONS: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['true', 'false']).default('true')),
  AUTH_TOKEN_SECRET: env.secret(32),
  AUTH_TOKEN_TTL_SECONDS: env.duration(900),
  ADMIN_EMAIL: env.string(),
  ADMIN_PASSWORD: env.secret(12),
  /** Base URL of the federation this node is (or will be) a member of. */
  FEDERATION_URL: env.url(['http', 'https']),
  /** Private node keys are stored sealed under a key derived from this secret (AES-256-GCM). */
  KEY_ENCRYPTION_SECRET: env.secret(32),
  // Consent registrations wait a random delay up to this window before they leave (issue 16).
  CONSENT_REGISTRATION_WINDOW_SECONDS: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce.number().int().min(0).max(86_400).optional(),
  ),
  // Pushed shares wait in per-recipient batches up to this window before they leave (issue 16).
  SHARING_PUSH_WINDOW_SECONDS: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce.number().int().min(0).max(86_400).optional(),
  ),
  /** The statistics page's RFM grid is recomputed this often (seconds, 60-86400; issue 13). */
  STATISTICS_RFM_REFRESH_SECONDS: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce.number().int().min(60).max(86_400).default(900),
  ),
  /** The built web console served at `/` (default apps/console/dist, relative to the working directory). */
  CONSOLE_DIST: z.preprocess((v) => (v === '' ? undefined : v), z.string().default('apps/console/dist')),
  /** Lifetime of the access tokens the console's session cookie renews. */
  CONSOLE_ACCESS_TOKEN_TTL_SECONDS: env.duration(300),
  /** A console session unused this long ends. */
  CONSOLE_IDLE_TIMEOUT_SECONDS: env.duration(1800),
  /** A console session ends this long after sign-in whatever happens. */
  CONSOLE_SESSION_MAX_SECONDS: env.duration(43200),
  /**
   * Express "trust proxy": which proxies' X-Forwarded-For gives the client address (login
   * throttling keys on it). Unset: the socket's address. E.g. `loopback`, `10.0.0.0/8`, `1`.
   */
  TRUST_PROXY: env.string(),
  GRAPHQL_MAX_DEPTH: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce.number().int().min(1).default(12),
  ),
  GRAPHQL_MAX_COMPLEXITY: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce.number().int().min(10).default(20000),
  ),
  // The ledger module's tunables (PartnerNodeConfig.ledger).
  LEDGER_CHECKPOINT_INTERVAL_SECONDS: env.integer(60, 0),
  LEDGER_SEQUENCE_INTERVAL_MS: env.integer(1000, 0),
  LEDGER_MAX_EXPORT_ENTRIES: env.integer(100_000, 0),
  LEDGER_FEDERATION_CHECK_INTERVAL_SECONDS: env.integer(60, 0),
  // The sharing module's tunables (PartnerNodeConfig.sharing).
  SHARING_SWEEP_MS: env.integer(5000, 1000),
  SHARING_DELIVERY_ATTEMPTS: env.integer(10, 1),
  SHARING_BACKOFF_MS: env.integer(1000, 10),
  SHARING_PULL_TIMEOUT_MS: env.integer(3000, 100),
  SHARING_BATCH_SIZE: env.integer(1000, 1),
  SHARING_RETENTION_SWEEP_MS: env.integer(3_600_000, 1000),
  SHARING_ENVELOPE_TTL_SECONDS: env.integer(600, 30),
  SHARING_REASON_WINDOW_DAYS: env.integer(30, 1),
  SHARING_PULL_AGENT_LIMIT: env.integer(60, 1),
  SHARING_PULL_PARTNER_LIMIT: env.integer(2000, 1),
  SHARING_PULL_ALERT_HOURS: env.integer(24, 0),
  // Holders refuse a history request that lives longer than the protocol allows.
  SHARING_PULL_REQUEST_TTL_SECONDS: env.integer(120, 10, {
    value: HISTORY_REQUEST_MAX_TTL_SECONDS,
    message: `must be ≤ ${HISTORY_REQUEST_MAX_TTL_SECONDS} (holders refuse longer-lived history requests)`,
  }),
  /** How often segment merges are synchronised with the federation and merged segments refreshed (ms). */
  SEGMENT_MERGE_SYNC_MS: env.integer(30_000, 1000),
});

/** The variables the partner node reads through this loader (docker/compose.yaml is checked against them). */
export const PARTNER_NODE_VARIABLES: readonly string[] = Object.keys(schema.shape);

/** Rules across variables, reported together with the others. */
function crossChecks(source: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  if (source.NODE_ENV === 'production' && !source.AUTH_TOKEN_SECRET) {
    problems.push('AUTH_TOKEN_SECRET: is required in production');
  }
  if (source.NODE_ENV === 'production' && !source.KEY_ENCRYPTION_SECRET) {
    problems.push('KEY_ENCRYPTION_SECRET: is required in production');
  }
  if (source.QUEUE_WORKERS === 'false' && !source.REDIS_URL) {
    problems.push('QUEUE_WORKERS: false needs REDIS_URL (the jobs run in worker processes on that Redis)');
  }
  if (source.ADMIN_EMAIL && !source.ADMIN_PASSWORD) {
    problems.push('ADMIN_PASSWORD: is required when ADMIN_EMAIL is set');
  }
  return problems;
}

export interface PartnerNodeConfig {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  partnerId: string;
  database: { url?: string; embeddedDataDir: string; poolSize: number; runMigrations: boolean };
  redisUrl?: string;
  /** Prefix of every Redis key of the node's queues (REDIS_PREFIX, default `concordia:<partner id>`). */
  redisPrefix: string;
  /** Whether this process runs the queue's jobs (QUEUE_WORKERS); false for API-only replicas. */
  queueWorkers: boolean;
  auth: { tokenSecret: string; tokenSecretIsEphemeral: boolean; tokenTtlSeconds: number };
  bootstrapAdmin?: { email: string; password: string };
  graphql: { maxDepth: number; maxComplexity: number };
  /** The web console: where its build is, and its sessions' lifetimes (seconds). */
  console: {
    dist: string;
    accessTokenTtlSeconds: number;
    idleTimeoutSeconds: number;
    sessionMaxSeconds: number;
  };
  /** Express "trust proxy" setting (TRUST_PROXY), when the node runs behind a reverse proxy. */
  trustProxy?: string;
  /** The federation's base URL (FEDERATION_URL); without it the node works alone. */
  federationUrl?: string;
  /**
   * Each per-recipient consent registration (and withdrawal) leaves for the federation after a
   * random delay of up to this many seconds, in batches per agreement pair, shuffled, so that a
   * customer's registrations under two agreements are not adjacent in time or order
   * (CONSENT_REGISTRATION_WINDOW_SECONDS; default 300 in production, 0 elsewhere: at once).
   */
  consentRegistrationWindowSeconds: number;
  /**
   * Pushed records wait in one batch per recipient and agreement, sent at a random moment of up to
   * this many seconds after the batch's first record, in shuffled order, more than a second apart
   * from any other batch, so that one customer's records pushed to two recipients do not leave
   * together (SHARING_PUSH_WINDOW_SECONDS; default 300 in production, 0 elsewhere: at once).
   */
  sharingPushWindowSeconds: number;
  /**
   * The RFM distribution of the statistics page is served from a snapshot refreshed by a queue job
   * this often (STATISTICS_RFM_REFRESH_SECONDS, default 900); older than this, it is stale and a
   * read asks for a refresh.
   */
  statistics: { rfmRefreshSeconds: number };
  /** Seals the node's private keys at rest; ephemeral (random, with a warning) outside production. */
  keyEncryption: { secret: string; isEphemeral: boolean };
  /** The node's ledger (LEDGER_* variables). */
  ledger: {
    /** Seconds between periodic checkpoints (skipped when nothing is new); 0 turns them off. */
    checkpointIntervalSeconds: number;
    /** Milliseconds between runs of the group-commit sequencer (LedgerService.enqueue); 0 turns it off. */
    sequenceIntervalMs: number;
    /** Most entries one GraphQL exportLedger may return. */
    maxExportEntries: number;
    /** Seconds between fetches of the federation's checkpoint (with FEDERATION_URL); 0 turns them off. */
    federationCheckIntervalSeconds: number;
  };
  /** Record sharing (SHARING_* variables; defaults in brackets). */
  sharing: {
    /** SHARING_SWEEP_MS [5000]: how often the outbox, pending deliveries and withdrawals are swept. */
    sweepMs: number;
    /** SHARING_DELIVERY_ATTEMPTS [10]: tries of one delivery before it goes to the dead letter. */
    deliveryAttempts: number;
    /** SHARING_BACKOFF_MS [1000]: first retry delay, doubled at each try. */
    backoffMs: number;
    /** SHARING_PULL_TIMEOUT_MS [3000]: per-holder timeout of a history request. */
    pullTimeoutMs: number;
    /** SHARING_BATCH_SIZE [1000]: records per pushed envelope. */
    batchSize: number;
    /** SHARING_RETENTION_SWEEP_MS [3600000]: how often expired shared copies are deleted. */
    retentionSweepMs: number;
    /** SHARING_ENVELOPE_TTL_SECONDS [600]: lifetime (exp − iat) of the envelopes this node signs. */
    envelopeTtlSeconds: number;
    /** SHARING_REASON_WINDOW_DAYS [30]: a closed care case or an interaction older than this is no reason to pull. */
    reasonWindowDays: number;
    /** SHARING_PULL_AGENT_LIMIT [60]: pulls per agent and hour (asked here, answered at a holder). */
    pullAgentLimit: number;
    /** SHARING_PULL_PARTNER_LIMIT [2000]: pulls a holder answers per requesting partner and hour. */
    pullPartnerLimit: number;
    /** SHARING_PULL_ALERT_HOURS [24]: a pull of a customer created at the requester this recently raises an alert. */
    pullAlertHours: number;
    /** SHARING_PULL_REQUEST_TTL_SECONDS [120, at most 300]: lifetime of the history requests this node signs. */
    pullRequestTtlSeconds: number;
  };
  /** SEGMENT_MERGE_SYNC_MS [30000, at least 1000]: how often merges are synchronised with the federation. */
  segmentMergeSyncMs: number;
}

export function loadPartnerNodeConfig(source: NodeJS.ProcessEnv = process.env): PartnerNodeConfig {
  const c = loadConfig(schema, source, crossChecks);
  return {
    env: c.NODE_ENV,
    host: c.HOST,
    port: c.PORT,
    partnerId: c.PARTNER_ID,
    database: {
      url: c.DATABASE_URL,
      embeddedDataDir: c.DATA_DIR,
      poolSize: c.DATABASE_POOL_SIZE,
      runMigrations: c.RUN_MIGRATIONS === 'true',
    },
    redisUrl: c.REDIS_URL,
    redisPrefix: c.REDIS_PREFIX ?? `concordia:${c.PARTNER_ID}`,
    queueWorkers: c.QUEUE_WORKERS === 'true',
    auth: {
      // Outside production a missing secret is replaced by a random one: tokens then die with the process.
      tokenSecret: c.AUTH_TOKEN_SECRET ?? randomBytes(32).toString('base64url'),
      tokenSecretIsEphemeral: !c.AUTH_TOKEN_SECRET,
      tokenTtlSeconds: c.AUTH_TOKEN_TTL_SECONDS,
    },
    bootstrapAdmin:
      c.ADMIN_EMAIL && c.ADMIN_PASSWORD ? { email: c.ADMIN_EMAIL, password: c.ADMIN_PASSWORD } : undefined,
    graphql: { maxDepth: c.GRAPHQL_MAX_DEPTH, maxComplexity: c.GRAPHQL_MAX_COMPLEXITY },
    console: {
      dist: c.CONSOLE_DIST,
      accessTokenTtlSeconds: c.CONSOLE_ACCESS_TOKEN_TTL_SECONDS,
      idleTimeoutSeconds: c.CONSOLE_IDLE_TIMEOUT_SECONDS,
      sessionMaxSeconds: c.CONSOLE_SESSION_MAX_SECONDS,
    },
    trustProxy: c.TRUST_PROXY,
    federationUrl: c.FEDERATION_URL?.replace(/\/+$/, ''),
    consentRegistrationWindowSeconds:
      c.CONSENT_REGISTRATION_WINDOW_SECONDS ?? (c.NODE_ENV === 'production' ? 300 : 0),
    sharingPushWindowSeconds: c.SHARING_PUSH_WINDOW_SECONDS ?? (c.NODE_ENV === 'production' ? 300 : 0),
    statistics: { rfmRefreshSeconds: c.STATISTICS_RFM_REFRESH_SECONDS },
    // Outside production a missing secret is replaced by a random one: sealed keys then cannot be
    // opened by the next process (the keys module warns at start and makes new ones).
    keyEncryption: {
      secret: c.KEY_ENCRYPTION_SECRET ?? randomBytes(32).toString('base64url'),
      isEphemeral: !c.KEY_ENCRYPTION_SECRET,
    },
    ledger: {
      checkpointIntervalSeconds: c.LEDGER_CHECKPOINT_INTERVAL_SECONDS,
      sequenceIntervalMs: c.LEDGER_SEQUENCE_INTERVAL_MS,
      maxExportEntries: c.LEDGER_MAX_EXPORT_ENTRIES,
      federationCheckIntervalSeconds: c.LEDGER_FEDERATION_CHECK_INTERVAL_SECONDS,
    },
    sharing: {
      sweepMs: c.SHARING_SWEEP_MS,
      deliveryAttempts: c.SHARING_DELIVERY_ATTEMPTS,
      backoffMs: c.SHARING_BACKOFF_MS,
      pullTimeoutMs: c.SHARING_PULL_TIMEOUT_MS,
      batchSize: c.SHARING_BATCH_SIZE,
      retentionSweepMs: c.SHARING_RETENTION_SWEEP_MS,
      envelopeTtlSeconds: c.SHARING_ENVELOPE_TTL_SECONDS,
      reasonWindowDays: c.SHARING_REASON_WINDOW_DAYS,
      pullAgentLimit: c.SHARING_PULL_AGENT_LIMIT,
      pullPartnerLimit: c.SHARING_PULL_PARTNER_LIMIT,
      pullAlertHours: c.SHARING_PULL_ALERT_HOURS,
      pullRequestTtlSeconds: c.SHARING_PULL_REQUEST_TTL_SECONDS,
    },
    segmentMergeSyncMs: c.SEGMENT_MERGE_SYNC_MS,
  };
}
