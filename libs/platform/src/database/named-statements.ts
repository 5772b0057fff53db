import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';

/**
 * A statement with a fixed SQL text and a name: `pg` prepares it once per connection under that
 * name and afterwards sends only the name and the values (no parse, no plan of the text again).
 * Repositories keep their statements as constants, so the SQL they run is the SQL committed.
 * Each name must belong to one text only (PostgreSQL refuses a second text under a prepared name).
 */
export interface NamedStatement {
  readonly name: string;
  readonly text: string;
}

interface PgPool {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/**
 * Runs named statements on the data source's own pool (pg's Pool, or the embedded PGlite pool,
 * which ignores the name), outside TypeORM's query building. Each statement is reported to the
 * data source's logger like TypeORM's own queries, so query logs and query counts still see it.
 */
export function namedStatements(
  dataSource: DataSource,
): <Row>(statement: NamedStatement, values: unknown[]) => Promise<Row[]> {
  return async <Row>(statement: NamedStatement, values: unknown[]): Promise<Row[]> => {
    const pool = (dataSource.driver as PostgresDriver).master as PgPool;
    dataSource.logger.logQuery(statement.text, values);
    const result = await pool.query({ name: statement.name, text: statement.text, values });
    return result.rows as Row[];
  };
}
