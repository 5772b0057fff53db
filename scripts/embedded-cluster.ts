/**
 * Part of `npm run build`: makes the fresh embedded PostgreSQL cluster once (initdb in PGlite) and
 * stores it where the demo's and the tests' in-memory databases start from (embeddedClusterFile),
 * so that none of them runs initdb again; then, from it, the cluster with each service's migrations
 * applied (storeEmbeddedSchemas), so that a new node or federation does not run them either.
 */
import { storeEmbeddedCluster } from '#platform/database/pglite-pool';
import { storeEmbeddedSchemas } from '#platform/database/embedded-schema';
import { PARTNER_NODE_MIGRATIONS } from '../apps/partner-node/src/database/migrations.js';
import { FEDERATION_MIGRATIONS } from '../apps/federation/src/database/migrations.js';

const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(1);
const megabytes = (bytes: number) => (bytes / 1e6).toFixed(1);
let started = Date.now();
const { file, bytes } = await storeEmbeddedCluster();
console.log(`embedded cluster: ${megabytes(bytes)} MB in ${seconds(started)} s → ${file}`);
started = Date.now();
const migrated = await storeEmbeddedSchemas([PARTNER_NODE_MIGRATIONS, FEDERATION_MIGRATIONS]);
console.log(
  `embedded clusters migrated (partner node, federation): ${migrated.map((m) => `${megabytes(m.bytes)} MB`).join(', ')} in ${seconds(started)} s`,
);
