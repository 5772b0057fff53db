import { describe, expect, it } from '@jest/globals';
import type { GraphQLRequestContextDidResolveOperation, GraphQLRequestListener } from '@apollo/server';
import { buildSchema, getOperationAST, parse } from 'graphql';
import { queryLimitsPlugin } from './query-limits.js';

const schema = buildSchema(`
  type Item { id: ID! }
  type Query { items(first: Int): [Item!]! item(id: ID!): Item }
`);

/** Runs the plugin's check on one request; resolves, or rejects with its GraphQLError. */
async function check(
  plugin: ReturnType<typeof queryLimitsPlugin>,
  document: ReturnType<typeof parse>,
  variables: Record<string, unknown>,
): Promise<void> {
  const listener = (await plugin.requestDidStart!({} as never)) as GraphQLRequestListener<object>;
  await listener.didResolveOperation!({
    request: { variables },
    document,
    operation: getOperationAST(document),
    schema,
  } as unknown as GraphQLRequestContextDidResolveOperation<object>);
}

describe('queryLimitsPlugin: verdicts kept per document only when variables cannot change them', () => {
  it('checks a page size given by a variable on every request, the same document included', async () => {
    const plugin = queryLimitsPlugin(() => schema, { maxDepth: 5, maxComplexity: 50 });
    const document = parse(`query($n: Int) { items(first: $n) { id } }`);
    await expect(check(plugin, document, { n: 10 })).resolves.toBeUndefined();
    await expect(check(plugin, document, { n: 1000 })).rejects.toMatchObject({
      extensions: { code: 'QUERY_TOO_COMPLEX' },
    });
  });

  it('checks a directive with a variable on every request', async () => {
    const plugin = queryLimitsPlugin(() => schema, { maxDepth: 5, maxComplexity: 10 });
    const document = parse(
      `query($x: Boolean!) { a: items(first: 20) @include(if: $x) { id } item(id: "1") { id } }`,
    );
    await expect(check(plugin, document, { x: false })).resolves.toBeUndefined();
    await expect(check(plugin, document, { x: true })).rejects.toMatchObject({
      extensions: { code: 'QUERY_TOO_COMPLEX' },
    });
  });

  it('a document refused stays refused; one that passed with other ids passes', async () => {
    const plugin = queryLimitsPlugin(() => schema, { maxDepth: 5, maxComplexity: 10 });
    const costly = parse(`{ items(first: 50) { id } }`);
    await expect(check(plugin, costly, {})).rejects.toMatchObject({
      extensions: { code: 'QUERY_TOO_COMPLEX' },
    });
    await expect(check(plugin, costly, {})).rejects.toMatchObject({
      extensions: { code: 'QUERY_TOO_COMPLEX' },
    });
    const byId = parse(`query($id: ID!) { item(id: $id) { id } }`);
    await expect(check(plugin, byId, { id: '1' })).resolves.toBeUndefined();
    await expect(check(plugin, byId, { id: '2' })).resolves.toBeUndefined();
  });
});
