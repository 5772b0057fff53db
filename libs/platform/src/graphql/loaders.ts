import DataLoader from 'dataloader';

/**
 * Per-request DataLoaders, created lazily by name. Resolvers of relations call
 * `loader(ctx, 'companyById', ids => service.findByIds(ids))` so that a page of 50 customers costs
 * one query for their companies, not 50, and nothing is cached across requests.
 */
export interface LoaderContext {
  loaders?: Map<string, DataLoader<unknown, unknown>>;
}

export function loader<K, V>(
  ctx: LoaderContext,
  name: string,
  batch: (keys: readonly K[]) => Promise<V[]>,
): DataLoader<K, V> {
  ctx.loaders ??= new Map();
  let found = ctx.loaders.get(name) as DataLoader<K, V> | undefined;
  if (!found) {
    found = new DataLoader<K, V>(batch, { maxBatchSize: 500 });
    ctx.loaders.set(name, found as DataLoader<unknown, unknown>);
  }
  return found;
}

/** Orders batch results to match the keys: one value per key (undefined where missing). */
export function byKey<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): (V | undefined)[] {
  const map = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => map.get(key));
}

/** Groups batch results per key: one array per key (empty where none). */
export function groupByKey<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): V[][] {
  const map = new Map<K, V[]>(keys.map((key) => [key, []]));
  for (const row of rows) map.get(keyOf(row))?.push(row);
  return keys.map((key) => map.get(key) ?? []);
}
