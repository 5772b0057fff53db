import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { env, loadConfig } from '#platform/config/env';

const schema = z.object({
  NODE_ENV: env.oneOf(['development', 'production', 'test'], 'development'),
  HOST: z.preprocess((v) => (v === '' ? undefined : v), z.string().default('127.0.0.1')),
  PORT: env.port(4100),
  FEDERATION_ID: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be 2-63 lower-case letters, digits or dashes')
      .default('concordia-network'),
  ),
  /** Public base URL announced in the entity statement; defaults to the listening address. */
  PUBLIC_URL: env.url(['http', 'https']),
  DATABASE_URL: env.url(['postgres', 'postgresql']),
  DATABASE_POOL_SIZE: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce.number().int().min(1).default(10),
  ),
  DATA_DIR: z.preprocess((v) => (v === '' ? undefined : v), z.string().default('.data/federation')),
  REDIS_URL: env.url(['redis', 'rediss']),
  /** Key prefix of the federation's BullMQ queues; default `concordia:federation:<FEDERATION_ID>`. */
  REDIS_PREFIX: env.redisPrefix(),
  KEY_ENCRYPTION_SECRET: env.secret(32),
  AUTH_TOKEN_SECRET: env.secret(32),
  AUTH_TOKEN_TTL_SECONDS: env.duration(900),
  OPERATOR_EMAIL: env.string(),
  /** Express "trust proxy" (which proxies' X-Forwarded-For names the client, for login throttling). */
  TRUST_PROXY: env.string(),
  OPERATOR_PASSWORD: env.secret(12),
  KEY_ROTATION_GRACE_SECONDS: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce.number().int().min(0).default(86_400),
  ),
  STATEMENT_TTL_SECONDS: env.duration(86_400),
  MEMBERSHIP_TERM_SECONDS: env.duration(365 * 86_400),
  ENTITY_STATEMENT_TTL_SECONDS: env.duration(86_400),
  /** Seconds between signed checkpoints of the federation ledger (skipped when nothing is new); 0: off. */
  LEDGER_CHECKPOINT_INTERVAL_SECONDS: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce.number().int().min(0).default(60),
  ),
  /** Milliseconds between runs of the ledger sequencer (≥ 1000, or 0: only on checkpoints and on demand). */
  LEDGER_SEQUENCE_INTERVAL_MS: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce
      .number()
      .int()
      .refine((n) => n === 0 || n >= 1000, 'must be 0 or at least 1000')
      .default(1000),
  ),
  /** The network's floor for segment merges: an agreement that suppresses less cannot be merged under. */
  MERGE_MIN_COHORT_SIZE: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce.number().int().min(1).default(5),
  ),
  /** The built web console served at `/` for the operators (default apps/console/dist, relative to the working directory). */
  CONSOLE_DIST: z.preprocess((v) => (v === '' ? undefined : v), z.string().default('apps/console/dist')),
  /** Lifetime of the access tokens the console's session cookie renews. */
  CONSOLE_ACCESS_TOKEN_TTL_SECONDS: env.duration(300),
  /** A console session unused this long ends. */
  CONSOLE_IDLE_TIMEOUT_SECONDS: env.duration(1800),
  /** A console session ends this long after sign-in whatever happens. */
  CONSOLE_SESSION_MAX_SECONDS: env.duration(43200),
  /** Most entries one export (HTTP or GraphQL) may hold. */
  LEDGER_MAX_EXPORT_ENTRIES: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce.number().int().min(1).default(100_000),
  ),
});

/** The variables the federation reads through this loader (docker/compose.yaml is checked against them). */
export const FEDERATION_VARIABLES: readonly string[] = Object.keys(schema.shape);

function crossChecks(source: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  if (source.NODE_ENV === 'production') {
    if (!source.KEY_ENCRYPTION_SECRET) problems.push('KEY_ENCRYPTION_SECRET: is required in production');
    if (!source.AUTH_TOKEN_SECRET) problems.push('AUTH_TOKEN_SECRET: is required in production');
  }
  if (source.OPERATOR_EMAIL && !source.OPERATOR_PASSWORD) {
    problems.push('OPERATOR_PASSWORD: is required when OPERATOR_EMAIL is set');
  }
  return problems;
}

export interface FederationConfig {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  federationId: string;
  publicUrl?: string;
  database: { url?: string; embeddedDataDir: string; poolSize: number };
  redisUrl?: string;
  /** Prefix of every Redis key of the federation's queues (REDIS_PREFIX). */
  redisPrefix: string;
  /** Private federation keys are stored under a key derived from this secret (AES-256-GCM). */
  keyEncryption: { secret: string; isEphemeral: boolean };
  auth: { tokenSecret: string; tokenSecretIsEphemeral: boolean; tokenTtlSeconds: number };
  bootstrapOperator?: { email: string; password: string };
  /** Express "trust proxy" setting (TRUST_PROXY), when behind a reverse proxy. */
  trustProxy?: string;
  /** How long a rotated-out member key keeps verifying new signatures. */
  keyRotationGraceSeconds: number;
  /** Lifetime of one membership statement (re-issued on read before it runs out). */
  statementTtlSeconds: number;
  /** Default membership term from approval (or renewal). */
  membershipTermSeconds: number;
  entityStatementTtlSeconds: number;
  ledger: { checkpointIntervalSeconds: number; sequenceIntervalMs: number; maxExportEntries: number };
  /** The web console: where its build is, and its sessions' lifetimes (seconds). */
  console: {
    dist: string;
    accessTokenTtlSeconds: number;
    idleTimeoutSeconds: number;
    sessionMaxSeconds: number;
  };
  /** Segment merges: the smallest minimum cohort size an agreement must have to be merged under. */
  merge: { minCohortSize: number };
}

export function loadFederationConfig(source: NodeJS.ProcessEnv = process.env): FederationConfig {
  const c = loadConfig(schema, source, crossChecks);
  return {
    env: c.NODE_ENV,
    host: c.HOST,
    port: c.PORT,
    federationId: c.FEDERATION_ID,
    publicUrl: c.PUBLIC_URL?.replace(/\/+$/, ''),
    database: { url: c.DATABASE_URL, embeddedDataDir: c.DATA_DIR, poolSize: c.DATABASE_POOL_SIZE },
    redisUrl: c.REDIS_URL,
    redisPrefix:
      c.REDIS_PREFIX ?? `concordia${c.NODE_ENV === 'test' ? '-test' : ''}:federation:${c.FEDERATION_ID}`,
    // Outside production a missing secret is replaced by a random one (with a warning at start):
    // stored private keys then cannot be read by the next process, which makes new ones.
    keyEncryption: {
      secret: c.KEY_ENCRYPTION_SECRET ?? randomBytes(32).toString('base64url'),
      isEphemeral: !c.KEY_ENCRYPTION_SECRET,
    },
    auth: {
      tokenSecret: c.AUTH_TOKEN_SECRET ?? randomBytes(32).toString('base64url'),
      tokenSecretIsEphemeral: !c.AUTH_TOKEN_SECRET,
      tokenTtlSeconds: c.AUTH_TOKEN_TTL_SECONDS,
    },
    bootstrapOperator:
      c.OPERATOR_EMAIL && c.OPERATOR_PASSWORD
        ? { email: c.OPERATOR_EMAIL, password: c.OPERATOR_PASSWORD }
        : undefined,
    trustProxy: c.TRUST_PROXY,
    keyRotationGraceSeconds: c.KEY_ROTATION_GRACE_SECONDS,
    statementTtlSeconds: c.STATEMENT_TTL_SECONDS,
    membershipTermSeconds: c.MEMBERSHIP_TERM_SECONDS,
    entityStatementTtlSeconds: c.ENTITY_STATEMENT_TTL_SECONDS,
    ledger: {
      checkpointIntervalSeconds: c.LEDGER_CHECKPOINT_INTERVAL_SECONDS,
      sequenceIntervalMs: c.LEDGER_SEQUENCE_INTERVAL_MS,
      maxExportEntries: c.LEDGER_MAX_EXPORT_ENTRIES,
    },
    merge: { minCohortSize: c.MERGE_MIN_COHORT_SIZE },
    console: {
      dist: c.CONSOLE_DIST,
      accessTokenTtlSeconds: c.CONSOLE_ACCESS_TOKEN_TTL_SECONDS,
      idleTimeoutSeconds: c.CONSOLE_IDLE_TIMEOUT_SECONDS,
      sessionMaxSeconds: c.CONSOLE_SESSION_MAX_SECONDS,
    },
  };
}
