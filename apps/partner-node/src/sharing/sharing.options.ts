import { HISTORY_REQUEST_MAX_TTL_SECONDS } from '#protocol';

/**
 * Tunables of the sharing module, read from the environment once at start (defaults in
 * brackets). TODO(config): move into PartnerNodeConfig (validated with the others) when its owner
 * takes them.
 */
export interface SharingOptions {
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
  /** SHARING_PULL_REQUEST_TTL_SECONDS [120]: lifetime of the history requests this node signs. */
  pullRequestTtlSeconds: number;
}

function int(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name}: must be an integer ≥ ${min}`);
  return value;
}

export function sharingOptionsFromEnv(): SharingOptions {
  const pullRequestTtlSeconds = int('SHARING_PULL_REQUEST_TTL_SECONDS', 120, 10);
  // A history request lives at most HISTORY_REQUEST_MAX_TTL_SECONDS: holders refuse longer ones.
  if (pullRequestTtlSeconds > HISTORY_REQUEST_MAX_TTL_SECONDS)
    throw new Error(`SHARING_PULL_REQUEST_TTL_SECONDS: must be ≤ ${HISTORY_REQUEST_MAX_TTL_SECONDS}`);
  return {
    sweepMs: int('SHARING_SWEEP_MS', 5000, 1000),
    deliveryAttempts: int('SHARING_DELIVERY_ATTEMPTS', 10, 1),
    backoffMs: int('SHARING_BACKOFF_MS', 1000, 10),
    pullTimeoutMs: int('SHARING_PULL_TIMEOUT_MS', 3000, 100),
    batchSize: int('SHARING_BATCH_SIZE', 1000, 1),
    retentionSweepMs: int('SHARING_RETENTION_SWEEP_MS', 3_600_000, 1000),
    envelopeTtlSeconds: int('SHARING_ENVELOPE_TTL_SECONDS', 600, 30),
    reasonWindowDays: int('SHARING_REASON_WINDOW_DAYS', 30, 1),
    pullAgentLimit: int('SHARING_PULL_AGENT_LIMIT', 60, 1),
    pullPartnerLimit: int('SHARING_PULL_PARTNER_LIMIT', 2000, 1),
    pullAlertHours: int('SHARING_PULL_ALERT_HOURS', 24, 0),
    pullRequestTtlSeconds,
  };
}

export const SHARING_OPTIONS = Symbol('SHARING_OPTIONS');
