import type { DataSource } from 'typeorm';

/**
 * What a database's migrations made, as sorted lines: extensions, columns with their types and
 * defaults, constraints, indexes, views, functions, triggers, sequences, the migrations recorded
 * and each table's row count. Two databases with the same lines have the same schema and seed rows.
 */
export async function schemaFingerprint(db: DataSource): Promise<string[]> {
  const definitions = (await db.query(`
    SELECT 'extension ' || extname || ' ' || extversion AS line FROM pg_extension
    UNION ALL
    SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable
           || ' ' || coalesce(column_default, '')
      FROM information_schema.columns WHERE table_schema = 'public'
    UNION ALL
    SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
      FROM pg_constraint WHERE connamespace = 'public'::regnamespace
    UNION ALL
    SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
    UNION ALL
    SELECT 'view ' || viewname || ' ' || definition FROM pg_views WHERE schemaname = 'public'
    UNION ALL
    SELECT 'matview ' || matviewname || ' ' || definition FROM pg_matviews WHERE schemaname = 'public'
    UNION ALL
    SELECT 'function ' || pg_get_functiondef(oid) FROM pg_proc
     WHERE pronamespace = 'public'::regnamespace AND prokind IN ('f', 'p')
    UNION ALL
    SELECT 'trigger ' || pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal
    UNION ALL
    SELECT 'sequence ' || sequencename || ' ' || coalesce(last_value::text, 'unused')
      FROM pg_sequences WHERE schemaname = 'public'
  `)) as { line: string }[];
  const tables = (await db.query(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
  )) as { tablename: string }[];
  const counts: string[] = [];
  for (const { tablename } of tables) {
    const [row] = (await db.query(`SELECT count(*)::int AS n FROM "${tablename}"`)) as { n: number }[];
    counts.push(`rows ${tablename} ${row!.n}`);
  }
  return [...definitions.map((d) => d.line), ...counts].sort();
}
