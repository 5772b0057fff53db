import type { DataSource, QueryRunner } from 'typeorm';
import { runPreparedIn } from '#platform/database/named-queries';
import { VIOLATION_DESCRIPTIONS, VIOLATION_KINDS, ViolationKind, violationSide } from '#compliance';
import { AGREEMENT_AUDIT_FACTS } from '../agreements/agreement-audit.queries.js';
import { CONSENT_AUDIT_FACTS } from '../consents/consent-audit.queries.js';
import {
  HELD_COPIES,
  HELD_COPY_KINDS,
  PURGES_REQUESTED,
  SENT_RECORD_REFS,
  SHARED_ACCESSES,
  WITHDRAWALS_RECEIVED,
} from '../sharing/sharing-audit.queries.js';
import type { ComplianceViolation, ComplianceViolationReport } from './compliance.types.js';

/*
 * The violations report's checks (GDPR accountability: every share against its consent, its
 * agreement and its record; every copy held against withdrawals, agreements and retention; purges
 * and accesses after withdrawals), as set-based SQL over the owners' facts, run in one snapshot.
 */

/** Findings returned per kind (the count is always complete). */
const MAX_PER_KIND = 500;
/** How long a recipient may take to confirm a purge before it is reported. */
const PURGE_GRACE = '1 day';
/** Signed times (withdrawals, validity) are whole seconds: comparisons allow that much. */
const SECOND = `interval '1 second'`;

/**
 * Every record ref of every delivered envelope (the sharing module's SENT_RECORD_REFS), with the
 * customer its record belongs to (owner_customer_id): so the check that a sent record is of the
 * consent's subject compares two columns of one row, where it used to join every ref with the
 * record tables (issue 17). In groups of refs the checks see alike (same envelope, consent,
 * category, kind, owner): each group is checked once, and a failing group yields one finding per
 * record it names.
 */
const SENT = `sent AS (SELECT * FROM ${SENT_RECORD_REFS} r)`;

/**
 * The consents and agreements with the values the checks compare each row with, computed once per
 * consent or agreement instead of once per ref or copy (issue 17: per row, they cost about a tenth
 * of the holding pass's CPU and a sixth of the receiving one's at 1,000,000 rows; the time past a
 * retention end is one initplan). The COALESCEs make them so: the
 * planner evaluates a non-strict expression of an outer join's nullable side where that side is
 * scanned (a placeholder, NULL for a row with no match), a strict one on every joined row; the
 * plan stays the same parallel hash joins (an OFFSET 0 fence would have made it serial).
 */
const CONSENTS = `(
  SELECT c0.*, COALESCE(c0.withdrawn_at + ${SECOND}, NULL) AS withdrawn_cut,
         COALESCE(c0.registered_at - ${SECOND}, NULL) AS registered_cut,
         COALESCE(c0.valid_from - ${SECOND}, NULL) AS valid_from_cut,
         COALESCE(c0.valid_until + ${SECOND}, NULL) AS valid_until_cut,
         COALESCE('customer-care' = ANY (c0.purposes), false) AS covers_care
    FROM ${CONSENT_AUDIT_FACTS} c0)`;
const AGREEMENTS = `(
  SELECT a0.*, COALESCE(a0.direction = 'mutual' OR a0.party_a = $1, false) AS lets_me_share,
         COALESCE(a0.direction = 'mutual' OR a0.party_b = $1, false) AS lets_partner_share,
         COALESCE('customer-care' = ANY (a0.purposes), false) AS covers_care,
         COALESCE(make_interval(days => a0.retention_days) + interval '1 minute', NULL) AS retention_allowed
    FROM ${AGREEMENT_AUDIT_FACTS} a0)`;

/** A held copy whose retention ended before this is reported ($2: the grace, in seconds). */
const RETENTION_CUT = `(SELECT now() - make_interval(secs => $2))`;

/**
 * Session time zones of a fixed offset of zero, where `t + make_interval(days => n)` is t plus n
 * times 24 hours: there, a copy is kept beyond its agreement's retention exactly when its
 * `retention_span` is longer than the retention allowed, which the index finds. In another zone a
 * day may be 23 or 25 hours (or a zone may change its offset), so the receiving pass then checks
 * every copy of each agreement for it, as it did before issue 17.
 */
const UTC_ZONES =
  'UTC Etc/UTC UCT Etc/UCT Universal Etc/Universal Zulu Etc/Zulu GMT Etc/GMT GMT0 Etc/GMT0 GMT+0 Etc/GMT+0 GMT-0 Etc/GMT-0 Greenwich Etc/Greenwich';
const UTC_SESSION = `current_setting('TimeZone') IN (${UTC_ZONES.split(' ')
  .map((zone) => `'${zone}'`)
  .join(', ')})`;

/**
 * The held copies that may fail a check (issue 17: a superset of the failing ones, found by index,
 * so that the copies that pass every check are not read; the receiving pass then checks these
 * exactly as it checked every copy):
 * - every copy of a kind (HELD_COPY_KINDS) that fails its agreement whatever its time (no such
 *   agreement, another partner, never accepted, not that direction, not care, not that category,
 *   not verified); of a kind that passes, the copies received outside the agreement's validity;
 * - the copies of each agreement kept longer than it allows (by `retention_span`, see UTC_SESSION);
 * - the copies past their retention end, and the copies of a consent withdrawn.
 * A copy may be found more than once: UNION keeps one.
 */
const HELD_CANDIDATES = `
    kinds AS (
      SELECT k.*, a.valid_from, a.valid_until,
             COALESCE(a.partner_id = k.origin_partner_id AND a.state <> 'proposed' AND a.lets_partner_share
                      AND a.covers_care AND k.category = ANY (a.categories) AND k.signature_status = 'verified',
                      false) AS clean
        FROM ${HELD_COPY_KINDS} k LEFT JOIN ${AGREEMENTS} a ON a.agreement_id = k.agreement_id),
    held AS (
      ${[
        `NOT k.clean`,
        `k.clean AND r.received_at < k.valid_from`,
        `k.clean AND r.received_at >= k.valid_until`,
      ]
        .map(
          (where) => `SELECT r.* FROM kinds k CROSS JOIN LATERAL (
        SELECT * FROM ${HELD_COPIES} r
         WHERE r.agreement_id = k.agreement_id AND r.origin_partner_id = k.origin_partner_id
           AND r.signature_status = k.signature_status AND r.category = k.category AND ${where} OFFSET 0) r`,
        )
        .join(`\n      UNION\n      `)}
      UNION
      ${[
        `r.retention_span > a.retention_allowed AND ${UTC_SESSION}`,
        `r.retention_span IS NULL`,
        `NOT ${UTC_SESSION}`,
      ]
        .map(
          (where) => `SELECT r.* FROM ${AGREEMENTS} a CROSS JOIN LATERAL (
        SELECT * FROM ${HELD_COPIES} r WHERE r.agreement_id = a.agreement_id AND ${where} OFFSET 0) r`,
        )
        .join(`\n      UNION\n      `)}
      UNION
      SELECT r.* FROM ${HELD_COPIES} r WHERE r.retention_ends_at < ${RETENTION_CUT}
      UNION
      SELECT r.* FROM ${WITHDRAWALS_RECEIVED} w
        JOIN ${HELD_COPIES} r ON r.origin_partner_id = w.origin_partner_id AND r.consent_id = w.consent_id)`;

/**
 * The checks, as SQL over the owners' facts (each module's *-audit.queries.ts relation of its table), in passes: each pass reads its rows once and yields
 * one row per finding (kind, envelope_id, consent_id, agreement_id, partner_id, record_id, at,
 * detail); a check's CASE gives the finding's detail, or NULL when the row passes that check
 * (rows that pass every check are dropped before they are split into findings).
 * $1 is this node's partner id, $2 the grace (seconds) past a retention end before a held copy is
 * reported (twice the retention sweep interval: the sweep deletes expired copies).
 */
export const VIOLATION_PASSES: readonly { kinds: readonly ViolationKind[]; sql: string }[] = [
  {
    // Holding side: every record ref of every delivered envelope, against its consent, its
    // agreement and the record itself.
    kinds: [
      ViolationKind.SHARE_AFTER_WITHDRAWAL,
      ViolationKind.SHARE_WITHOUT_LIVE_CONSENT,
      ViolationKind.SHARE_OUTSIDE_CONSENT,
      ViolationKind.SHARE_OUTSIDE_AGREEMENT,
    ],
    sql: `
    WITH ${SENT},
    checked AS (
      SELECT s.envelope_id::text AS envelope_id, s.consent_id::text AS consent_id, s.agreement_id, s.recipient AS partner_id, s.kind, s.ids, s.at,
        CASE WHEN s.at >= c.withdrawn_cut
             THEN 'sent ' || ISO(s.at) || ', consent withdrawn ' || ISO(c.withdrawn_at) END AS after_withdrawal,
        CASE WHEN c.id IS NULL THEN 'no such consent at this node'
             WHEN c.registered_cut IS NULL OR s.at < c.registered_cut THEN 'consent not registered with the federation when sent'
             WHEN s.at < c.valid_from_cut OR s.at >= c.valid_until_cut THEN 'sent outside the consent''s validity'
             WHEN NOT (s.recipient = ANY (c.recipients)) THEN 'the consent does not name this recipient'
             WHEN c.agreement_ids[array_position(c.recipients, s.recipient)] IS DISTINCT FROM s.agreement_id
             THEN 'the consent names another agreement for this recipient' END AS without_consent,
        CASE WHEN c.id IS NULL THEN NULL
             WHEN NOT c.covers_care THEN 'the consent does not cover customer care'
             WHEN NOT (s.category = ANY (c.categories)) THEN 'category ' || s.category || ' is not in the consent'
             WHEN s.owner_customer_id <> c.customer_id THEN 'the record is not of the consent''s subject' END AS outside_consent,
        CASE WHEN a.agreement_id IS NULL THEN 'no such agreement at this node'
             WHEN a.partner_id <> s.recipient THEN 'the agreement is with ' || a.partner_id
             WHEN a.state = 'proposed' THEN 'the agreement was never accepted'
             WHEN s.at < a.valid_from OR s.at >= a.valid_until THEN 'sent outside the agreement''s validity'
             WHEN NOT a.lets_me_share THEN 'the agreement does not let this node share'
             WHEN NOT a.covers_care THEN 'the agreement does not cover customer care'
             WHEN NOT (s.category = ANY (a.categories)) THEN 'category ' || s.category || ' is not in the agreement'
             END AS outside_agreement
        FROM sent s
        LEFT JOIN ${CONSENTS} c ON c.id = s.consent_id
        LEFT JOIN ${AGREEMENTS} a ON a.agreement_id = s.agreement_id)
    SELECT v.kind, k.envelope_id, k.consent_id, k.agreement_id, k.partner_id, k.kind || ':' || r.id AS record_id, k.at, v.detail
      FROM checked k CROSS JOIN LATERAL unnest(k.ids) AS r(id) CROSS JOIN LATERAL (VALUES
        ('${ViolationKind.SHARE_AFTER_WITHDRAWAL}', k.after_withdrawal),
        ('${ViolationKind.SHARE_WITHOUT_LIVE_CONSENT}', k.without_consent),
        ('${ViolationKind.SHARE_OUTSIDE_CONSENT}', k.outside_consent),
        ('${ViolationKind.SHARE_OUTSIDE_AGREEMENT}', k.outside_agreement)) AS v(kind, detail)
     WHERE (k.after_withdrawal IS NOT NULL OR k.without_consent IS NOT NULL OR k.outside_consent IS NOT NULL
            OR k.outside_agreement IS NOT NULL) AND v.detail IS NOT NULL`,
  },
  {
    // Receiving side: every copy of a partner's record held here, checked where it may fail (the
    // candidates, see HELD_CANDIDATES).
    kinds: [
      ViolationKind.RECEIVED_AFTER_WITHDRAWAL,
      ViolationKind.RECEIVED_OUTSIDE_AGREEMENT,
      ViolationKind.RETENTION_EXCEEDED,
    ],
    sql: `
    WITH ${HELD_CANDIDATES},
    checked AS (
      SELECT r.envelope_id, r.consent_id, r.agreement_id, r.origin_partner_id AS partner_id, r.origin_record_id AS record_id,
             r.received_at AS at,
        CASE WHEN w.consent_id IS NOT NULL THEN 'copy held after the withdrawal received ' || ISO(w.withdrawn_at)
             END AS after_withdrawal,
        CASE WHEN a.agreement_id IS NULL THEN 'no such agreement at this node'
             WHEN a.partner_id <> r.origin_partner_id THEN 'the agreement is with ' || a.partner_id
             WHEN a.state = 'proposed' THEN 'the agreement was never accepted'
             WHEN NOT a.lets_partner_share THEN 'the agreement does not let the partner share with this node'
             WHEN r.received_at < a.valid_from OR r.received_at >= a.valid_until THEN 'received outside the agreement''s validity'
             WHEN NOT a.covers_care THEN 'the agreement does not cover customer care'
             WHEN NOT (r.category = ANY (a.categories)) THEN 'category ' || r.category || ' is not in the agreement'
             WHEN r.signature_status <> 'verified' THEN 'signature not verified' END AS outside_agreement,
        CASE WHEN r.retention_ends_at < ${RETENTION_CUT} THEN 'retention ended ' || ISO(r.retention_ends_at)
             WHEN r.retention_ends_at > r.received_at + a.retention_allowed
             THEN 'retention set beyond the agreement''s ' || a.retention_days || ' days' END AS retention
        FROM held r
        LEFT JOIN ${WITHDRAWALS_RECEIVED} w ON w.origin_partner_id = r.origin_partner_id AND w.consent_id = r.consent_id
        LEFT JOIN ${AGREEMENTS} a ON a.agreement_id = r.agreement_id)
    SELECT v.kind, k.envelope_id, k.consent_id, k.agreement_id, k.partner_id, k.record_id, k.at, v.detail
      FROM checked k CROSS JOIN LATERAL (VALUES
        ('${ViolationKind.RECEIVED_AFTER_WITHDRAWAL}', k.after_withdrawal),
        ('${ViolationKind.RECEIVED_OUTSIDE_AGREEMENT}', k.outside_agreement),
        ('${ViolationKind.RETENTION_EXCEEDED}', k.retention)) AS v(kind, detail)
     WHERE (k.after_withdrawal IS NOT NULL OR k.outside_agreement IS NOT NULL OR k.retention IS NOT NULL)
       AND v.detail IS NOT NULL`,
  },
  {
    kinds: [ViolationKind.PURGE_UNCONFIRMED],
    sql: `
    SELECT '${ViolationKind.PURGE_UNCONFIRMED}' AS kind, NULL AS envelope_id, p.consent_id::text AS consent_id,
           NULL AS agreement_id, p.recipient AS partner_id, NULL AS record_id, p.requested_at AS at,
           'no signed purge receipt since ' || ISO(p.requested_at) || COALESCE(' (' || p.last_error || ')', '') AS detail
      FROM ${PURGES_REQUESTED} p JOIN ${CONSENT_AUDIT_FACTS} c ON c.id = p.consent_id
     WHERE p.status = 'requested' AND p.requested_at < now() - interval '${PURGE_GRACE}'
       AND c.withdrawal_registration_status IS DISTINCT FROM 'not_needed'`,
  },
  {
    kinds: [ViolationKind.ACCESS_AFTER_WITHDRAWAL],
    sql: `
    SELECT '${ViolationKind.ACCESS_AFTER_WITHDRAWAL}' AS kind, NULL AS envelope_id, w.consent_id, NULL AS agreement_id,
           w.origin_partner_id AS partner_id, x.id::text AS record_id, x.accessed_at AS at,
           'accessed ' || ISO(x.accessed_at) || ', withdrawal received ' || ISO(w.withdrawn_at) AS detail
      FROM ${SHARED_ACCESSES} x CROSS JOIN LATERAL unnest(x.consent_ids) AS c(consent_id)
      JOIN ${WITHDRAWALS_RECEIVED} w ON w.consent_id = c.consent_id AND w.origin_partner_id = ANY (x.origin_partner_ids)
     WHERE x.accessed_at >= w.withdrawn_at + ${SECOND}`,
  },
].map((pass) => ({
  kinds: pass.kinds,
  sql: pass.sql.replace(/ISO\(([^()]+)\)/g, `to_char($1, 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`),
}));

interface FindingRow {
  kind: ViolationKind;
  envelope_id: string | null;
  consent_id: string | null;
  agreement_id: string | null;
  partner_id: string | null;
  record_id: string | null;
  at: Date | null;
  detail: string;
  total: string;
}

/**
 * Settings of every check's transaction (issue 17, from EXPLAIN ANALYZE of each pass at 100,000
 * refs), as `set_config(name, value, true)` (SET LOCAL) in one statement. JIT compilation only
 * slows these statements down; hash joins stay in memory with a little more work_mem. Merge joins
 * are off: jsonb_array_elements is estimated at 100 refs per envelope (10 in practice), and the
 * planner then sorted 100,000 refs and the records they name by text to merge them, 6 times the
 * time of hashing. The passes are prepared statements, planned once per connection (generic plans:
 * their parameters, this node's id and the retention grace, change no plan): planning the receiving
 * pass took 10 times its run (7-17 ms), on a core the holding pass needs.
 */
const CHECK_SETTINGS: Readonly<Record<string, string>> = {
  jit: 'off',
  work_mem: '64MB',
  enable_mergejoin: 'off',
  plan_cache_mode: 'force_generic_plan',
};
/**
 * The holding pass's too: it joins every sent group with its consent, and it yields few rows
 * (findings) whatever the estimate, so passing a row from a worker costs nothing here: with that
 * cost zeroed, its scans and hash joins are shared among the server's parallel workers once the
 * tables are large enough to be worth the workers' start. Starting them stays priced (and small
 * tables stay serial), as PostgreSQL prices it: zeroed too, it made the pass 2 to 4 times slower
 * at 100,000 refs (serial 7-11 ms, parallel 14-36 ms: the workers arrived when the leader had
 * read most rows) and no faster at 1,000,000 (session 23, bench:compliance). Not the others', which
 * read by index the few rows that may fail: a parallel plan there only costs the workers' start.
 */
const PARALLEL_SETTINGS: Readonly<Record<string, string>> = {
  parallel_tuple_cost: '0',
};

/** The passes, in two groups that may run side by side: the holding pass, and the three others. */
const PASS_GROUPS: readonly { passes: readonly number[]; settings: Readonly<Record<string, string>> }[] = [
  { passes: [0], settings: PARALLEL_SETTINGS },
  { passes: [1, 2, 3], settings: {} },
];

async function findings(runner: QueryRunner, passIndex: number, partnerId: string, grace: number) {
  const pass = VIOLATION_PASSES[passIndex]!;
  const params = pass.sql.includes('$2') ? [partnerId, grace] : pass.sql.includes('$1') ? [partnerId] : [];
  return runPreparedIn<FindingRow>(
    runner,
    `compliance.violations.${passIndex}`,
    `SELECT * FROM (
       SELECT f.*, count(*) OVER (PARTITION BY f.kind) AS total,
              row_number() OVER (PARTITION BY f.kind ORDER BY f.at NULLS FIRST, f.record_id) AS n
         FROM (${pass.sql}) f) x
      WHERE n <= ${MAX_PER_KIND} ORDER BY kind, n`,
    params,
  );
}

/** Sets `settings` for the rest of the transaction (one round trip), and returns `also`'s values. */
async function setLocal(runner: QueryRunner, settings: Readonly<Record<string, string>>, also?: string) {
  const names = Object.keys(settings);
  const calls = names.map((name, i) => `set_config('${name}', $${i + 1}, true)`);
  if (also) calls.push(also);
  if (calls.length === 0) return undefined;
  const [row] = (await runner.query(
    `SELECT ${calls.join(', ')}`,
    names.map((name) => settings[name]),
  )) as Record<string, unknown>[];
  return row;
}

/**
 * Opens a read-only REPEATABLE READ transaction with the checks' settings and `settings`: with the
 * snapshot `snapshot` if given, else exporting its own (returned) when `exportSnapshot`.
 */
async function beginChecks(
  runner: QueryRunner,
  settings: Readonly<Record<string, string>>,
  { snapshot, exportSnapshot = false }: { snapshot?: string; exportSnapshot?: boolean } = {},
): Promise<string | undefined> {
  await runner.connect();
  await runner.query(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`);
  // SET TRANSACTION SNAPSHOT must come first in the transaction; the id is pg_export_snapshot()'s.
  if (snapshot) await runner.query(`SET TRANSACTION SNAPSHOT '${snapshot.replace(/'/g, "''")}'`);
  const row = await setLocal(
    runner,
    { ...CHECK_SETTINGS, ...settings },
    exportSnapshot ? 'pg_export_snapshot() AS snapshot' : undefined,
  );
  return exportSnapshot ? (row!.snapshot as string) : undefined;
}

/**
 * Runs every pass, all in one snapshot. With a pool of two connections or more (a PostgreSQL
 * server), the holding pass and the other three run side by side on two connections, the second
 * importing the first one's snapshot; on the embedded database (one connection), one after the
 * other.
 */
async function runPasses(dataSource: DataSource, partnerId: string, grace: number): Promise<FindingRow[][]> {
  const options = dataSource.options as { url?: string; extra?: { max?: number } };
  const concurrent = Boolean(options.url) && (options.extra?.max ?? 10) >= 2;
  const leader = dataSource.createQueryRunner();
  const follower = concurrent ? dataSource.createQueryRunner() : undefined;
  const results: FindingRow[][] = [];
  const run = async (runner: QueryRunner, group: (typeof PASS_GROUPS)[number]) => {
    for (const i of group.passes) results[i] = await findings(runner, i, partnerId, grace);
  };
  const [holding, others] = PASS_GROUPS as [(typeof PASS_GROUPS)[number], (typeof PASS_GROUPS)[number]];
  try {
    if (follower) {
      // The holding pass, the longest, starts first, on the connection that exports the snapshot.
      const snapshot = await beginChecks(leader, holding.settings, { exportSnapshot: true });
      // Both settle before the transactions end (a failed pass leaves no query running).
      const settled = await Promise.allSettled([
        run(leader, holding),
        beginChecks(follower, others.settings, { snapshot }).then(() => run(follower, others)),
      ]);
      for (const outcome of settled) if (outcome.status === 'rejected') throw outcome.reason;
    } else {
      await beginChecks(leader, others.settings);
      await run(leader, others);
      await setLocal(leader, holding.settings);
      await run(leader, holding);
    }
    return results;
  } finally {
    // Read-only transactions: ending them either way changes nothing.
    for (const runner of [follower, leader]) {
      if (!runner) continue;
      await runner.query(`ROLLBACK`).catch(() => undefined);
      await runner.release();
    }
  }
}

/**
 * Runs every check of the violations report (four passes) for the node `partnerId`; a copy
 * past its retention end by more than `retentionGraceSeconds` is reported.
 */
export async function runViolationChecks(
  dataSource: DataSource,
  partnerId: string,
  retentionGraceSeconds: number,
): Promise<ComplianceViolationReport> {
  const violations: ComplianceViolation[] = [];
  const totals = new Map<ViolationKind, number>();
  for (const rows of await runPasses(dataSource, partnerId, retentionGraceSeconds)) {
    for (const row of rows) {
      totals.set(row.kind, Number(row.total));
      violations.push({
        kind: row.kind,
        side: violationSide(row.kind),
        envelopeId: row.envelope_id,
        consentId: row.consent_id,
        agreementId: row.agreement_id,
        partnerId: row.partner_id,
        recordId: row.record_id,
        at: row.at,
        detail: row.detail,
      });
    }
  }
  const checks = VIOLATION_KINDS.map((kind) => ({
    kind,
    description: VIOLATION_DESCRIPTIONS[kind],
    count: totals.get(kind) ?? 0,
  }));
  return { generatedAt: new Date(), total: checks.reduce((sum, c) => sum + c.count, 0), checks, violations };
}
