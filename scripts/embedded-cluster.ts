/**
 * Part of `npm run build`: makes the fresh embedded PostgreSQL cluster once (initdb in PGlite) and
 * stores it where the demo's and the tests' in-memory databases start from (embeddedClusterFile),
 * so that none of them runs initdb again.
 */
import { storeEmbeddedCluster } from '#platform/database/pglite-pool';

const started = Date.now();
const { file, bytes } = await storeEmbeddedCluster();
console.log(
  `embedded cluster: ${(bytes / 1e6).toFixed(1)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s → ${file}`,
);
