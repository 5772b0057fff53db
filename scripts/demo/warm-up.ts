/**
 * Imported first by the demo: on embedded defaults, the fresh PostgreSQL cluster that its four
 * databases start from is made (initdb, in a worker thread) while the rest of the program loads,
 * instead of after it, when the federation opens its database.
 */
import { prepareEmbeddedCluster } from '#platform/database/pglite-pool';

if (!process.env.DATABASE_URL) prepareEmbeddedCluster();
