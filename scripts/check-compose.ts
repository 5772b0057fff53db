/**
 * CI has a Docker client but no engine (and no compose plugin), so it cannot run
 * `docker compose config`. This checks what can be checked by reading: the YAML parses (anchors
 * and merges resolved), every service has an image or a build, every `depends_on` names a service
 * of the file and a condition that exists, every service has a health check, and no secret is
 * written in clear (secrets must come from `${VARIABLES}`).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

interface Service {
  image?: string;
  build?: unknown;
  depends_on?: Record<string, { condition?: string }> | string[];
  healthcheck?: { test?: unknown };
  environment?: Record<string, string>;
}

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
if (problems.length > 0) {
  console.error(`${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(`${file}: ${Object.keys(services).length} services, all checks passed.`);
