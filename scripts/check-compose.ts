/**
 * CI has a Docker client but no engine (and no compose plugin), so it cannot run
 * `docker compose config`. This checks what can be checked by reading: the YAML parses (anchors
 * and merges resolved), every service has an image or a build, every `depends_on` names a service
 * of the file and a condition that exists, every service has a health check, and no secret is
 * written in clear (secrets must come from `${VARIABLES}`). For the Concordia services (those built
 * from the Dockerfile or using its image): every variable is one the node's or the federation's
 * configuration reads, every URL names a service of the file, the federation has a first operator,
 * and each partner node has its own PARTNER_ID, its own PostgreSQL, Redis and a FEDERATION_URL.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { FEDERATION_VARIABLES } from '../apps/federation/src/config.js';
import { PARTNER_NODE_VARIABLES } from '../apps/partner-node/src/config.js';

interface Service {
  image?: string;
  build?: unknown;
  depends_on?: Record<string, { condition?: string }> | string[];
  healthcheck?: { test?: unknown };
  environment?: Record<string, string>;
  command?: string[] | string;
}

/** Read outside the config loaders (see docs/operations.md): the tunables of sharing and ledger. */
const EXTRA_VARIABLES = /^(SHARING_[A-Z_]+|LEDGER_[A-Z_]+|LOG_LEVEL|SERVICE_NAME)$/;
const KNOWN = new Set([...PARTNER_NODE_VARIABLES, ...FEDERATION_VARIABLES]);

const file = process.argv[2] ?? 'docker/compose.yaml';
const problems: string[] = [];
let doc: { services?: Record<string, Service>; volumes?: Record<string, unknown> };
try {
  doc = parse(readFileSync(file, 'utf8'), { merge: true }) as typeof doc;
} catch (error) {
  console.error(`${file}: not valid YAML: ${(error as Error).message}`);
  process.exit(1);
}
const services = doc.services ?? {};
if (Object.keys(services).length === 0) problems.push('no services');
const conditions = new Set(['service_started', 'service_healthy', 'service_completed_successfully']);
for (const [name, service] of Object.entries(services)) {
  if (!service.image && !service.build) problems.push(`${name}: neither image nor build`);
  if (!service.healthcheck?.test) problems.push(`${name}: no health check`);
  const deps = Array.isArray(service.depends_on)
    ? service.depends_on.map((d): [string, { condition?: string }] => [d, {}])
    : Object.entries(service.depends_on ?? {});
  for (const [dep, spec] of deps) {
    if (!services[dep]) problems.push(`${name}: depends on unknown service ${dep}`);
    if (spec.condition && !conditions.has(spec.condition))
      problems.push(`${name}: unknown condition ${spec.condition}`);
  }
  for (const [key, value] of Object.entries(service.environment ?? {})) {
    if (/SECRET|PASSWORD/.test(key) && !String(value).includes('${')) {
      problems.push(`${name}: ${key} is written in clear; take it from a variable`);
    }
  }
}
// The Concordia services: the federation (its main.js or `concordia federation start`) and nodes.
const concordia = Object.entries(services).filter(
  ([, service]) => service.build !== undefined || service.image?.startsWith('concordia'),
);
const isFederation = (service: Service) => /federation/.test([service.command ?? []].flat().join(' '));
const hostOf = (value: string): string | undefined => {
  const match = /^[a-z]+:\/\/(?:[^@/]*@)?([^:/?#]+)/.exec(value);
  return match?.[1];
};
const databaseOfNode = new Map<string, string>();
const partnerIds = new Map<string, string>();
if (!concordia.some(([, service]) => isFederation(service))) problems.push('no federation service');
for (const [name, service] of concordia) {
  const env = service.environment ?? {};
  for (const [key, value] of Object.entries(env)) {
    if (!KNOWN.has(key) && !EXTRA_VARIABLES.test(key)) {
      problems.push(`${name}: ${key} is not a variable Concordia reads`);
    }
    const host = hostOf(String(value));
    if (host && !host.includes('.') && host !== 'localhost' && !services[host]) {
      problems.push(`${name}: ${key} names host ${host}, which is not a service of the file`);
    }
  }
  if (!env.DATABASE_URL) problems.push(`${name}: no DATABASE_URL (it would use an embedded database)`);
  if (isFederation(service)) {
    if (!env.OPERATOR_EMAIL || !env.OPERATOR_PASSWORD) problems.push(`${name}: no first operator`);
    continue;
  }
  for (const key of ['PARTNER_ID', 'FEDERATION_URL', 'REDIS_URL']) {
    if (!env[key]) problems.push(`${name}: no ${key}`);
  }
  const partner = env.PARTNER_ID ?? name;
  if (partnerIds.has(partner))
    problems.push(`${name}: PARTNER_ID ${partner} is also ${partnerIds.get(partner)}'s`);
  partnerIds.set(partner, name);
  const db = hostOf(env.DATABASE_URL ?? '') ?? '';
  const other = [...databaseOfNode].find(([, host]) => host === db);
  if (db && other) problems.push(`${name}: shares its PostgreSQL (${db}) with ${other[0]}`);
  databaseOfNode.set(name, db);
}

if (problems.length > 0) {
  console.error(`${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(
  `${file}: ${Object.keys(services).length} services (federation and ${databaseOfNode.size} partner nodes), all checks passed.`,
);
