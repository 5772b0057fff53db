import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  type DocumentNode,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  visit,
} from 'graphql';
import { getComplexity, simpleEstimator, fieldExtensionsEstimator } from 'graphql-query-complexity';
import { DEFAULT_PAGE_SIZE } from './connection.js';

/**
 * The cost of a field that runs a heavy query whatever it selects (reports, search): declare it
 * with `@Query(…, { complexity: EXPENSIVE_FIELD_COST })`. Such a field may be asked at most
 * MAX_EXPENSIVE_USES times in one operation (aliases included); any root field MAX_ROOT_FIELD_USES.
 */
export const EXPENSIVE_FIELD_COST = 100;
export const MAX_EXPENSIVE_USES = 2;
export const MAX_ROOT_FIELD_USES = 20;

export interface QueryLimits {
  maxDepth: number;
  maxComplexity: number;
}

function depthOf(
  selection: SelectionSetNode | undefined,
  fragments: Map<string, SelectionSetNode>,
  seen: Set<string>,
): number {
  if (!selection) return 0;
  let deepest = 0;
  for (const node of selection.selections) {
    if (node.kind === Kind.FIELD) {
      if (node.name.value.startsWith('__')) continue; // introspection is not counted
      deepest = Math.max(deepest, 1 + depthOf(node.selectionSet, fragments, seen));
    } else if (node.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, depthOf(node.selectionSet, fragments, seen));
    } else if (node.kind === Kind.FRAGMENT_SPREAD && !seen.has(node.name.value)) {
      const fragment = fragments.get(node.name.value);
      deepest = Math.max(deepest, depthOf(fragment, fragments, new Set([...seen, node.name.value])));
    }
  }
  return deepest;
}

export function queryDepth(document: DocumentNode): number {
  const fragments = new Map<string, SelectionSetNode>();
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def.selectionSet);
  }
  let deepest = 0;
  for (const def of document.definitions) {
    if (def.kind === Kind.OPERATION_DEFINITION) {
      deepest = Math.max(deepest, depthOf(def.selectionSet, fragments, new Set()));
    }
  }
  return deepest;
}

/** A refusal of the query's shape: code QUERY_TOO_COMPLEX and HTTP 400 (not Apollo's default 500). */
function tooComplex(message: string, details: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'QUERY_TOO_COMPLEX', ...details, http: { status: 400 } },
  });
}

/**
 * Runs the cost estimate, which coerces the variables itself: a variable of the wrong type is the
 * caller's mistake (BAD_USER_INPUT, HTTP 400), not an error of the plugin (Apollo's 500).
 */
function costOf(estimate: () => number): number {
  try {
    return estimate();
  } catch (error) {
    if (error instanceof GraphQLError) {
      throw new GraphQLError(error.message, {
        nodes: error.nodes,
        extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
      });
    }
    throw error;
  }
}

/** How many times each root field is asked by an operation, aliases and fragments included. */
function rootFieldUses(operation: OperationDefinitionNode, document: DocumentNode): Map<string, number> {
  const fragments = new Map<string, SelectionSetNode>();
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def.selectionSet);
  }
  const uses = new Map<string, number>();
  const visit = (set: SelectionSetNode, seen: Set<string>) => {
    for (const node of set.selections) {
      if (node.kind === Kind.FIELD) uses.set(node.name.value, (uses.get(node.name.value) ?? 0) + 1);
      else if (node.kind === Kind.INLINE_FRAGMENT) visit(node.selectionSet, seen);
      else if (!seen.has(node.name.value)) {
        const fragment = fragments.get(node.name.value);
        if (fragment) visit(fragment, new Set([...seen, node.name.value]));
      }
    }
  };
  visit(operation.selectionSet, new Set());
  return uses;
}

/**
 * Whether the checks' verdict on a document cannot change with its variables: no variable in a
 * `first` argument (page sizes multiply the cost) nor in a directive (`@include(if: $x)`). Field
 * costs are constants, so then depth, root-field uses and cost are the document's own.
 */
function variableIndependent(document: DocumentNode): boolean {
  let independent = true;
  let inCostArgument = 0;
  visit(document, {
    Argument: {
      enter: (node) => {
        if (node.name.value === 'first') inCostArgument++;
      },
      leave: (node) => {
        if (node.name.value === 'first') inCostArgument--;
      },
    },
    Directive: {
      enter: () => {
        inCostArgument++;
      },
      leave: () => {
        inCostArgument--;
      },
    },
    Variable: (node) => {
      if (inCostArgument > 0 && node) independent = false;
    },
    VariableDefinition: () => false, // the declarations themselves are not uses
  });
  return independent;
}

/**
 * Refuses queries deeper or costlier than the limits before they run. Lists multiply the cost of
 * their children by their page size (`first`, or the default page size of a connection asked
 * without it), so a 200-item page of 200-item pages is expensive. Expensive fields cannot be
 * multiplied by aliases.
 */
export function queryLimitsPlugin(schema: () => GraphQLSchema, limits: QueryLimits): ApolloServerPlugin {
  // Documents (Apollo keeps one parsed object per query text) and operations that passed the
  // checks with a verdict that does not depend on their variables: the same query sent again,
  // with other variables, is not walked again.
  const passed = new WeakMap<DocumentNode, Set<string>>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation, schema: running }) {
          const name = request.operationName ?? '';
          if (passed.get(document)?.has(name)) return;
          const depth = queryDepth(document);
          if (depth > limits.maxDepth) {
            throw tooComplex(`Query depth ${depth} exceeds the limit of ${limits.maxDepth}`, {
              depth,
              maxDepth: limits.maxDepth,
            });
          }
          const root =
            operation?.operation === 'mutation' ? running.getMutationType() : running.getQueryType();
          const uses = operation ? rootFieldUses(operation, document) : new Map<string, number>();
          for (const [name, count] of uses) {
            const cost = root?.getFields()[name]?.extensions?.complexity;
            const max =
              typeof cost === 'number' && cost >= EXPENSIVE_FIELD_COST
                ? MAX_EXPENSIVE_USES
                : MAX_ROOT_FIELD_USES;
            if (count > max) {
              throw tooComplex(`Field "${name}" is asked ${count} times; at most ${max} in one operation`, {
                field: name,
                uses: count,
                maxUses: max,
              });
            }
          }
          const complexity = costOf(() =>
            getComplexity({
              schema: schema(),
              query: document,
              operationName: request.operationName ?? undefined,
              variables: request.variables ?? {},
              estimators: [
                fieldExtensionsEstimator(),
                ({ args, childComplexity, field }) => {
                  // A connection (a field with a `first` argument) returns a page even without `first`.
                  const paged = field.args.some((arg) => arg.name === 'first');
                  const first =
                    typeof args.first === 'number' ? args.first : paged ? DEFAULT_PAGE_SIZE : undefined;
                  return first !== undefined ? 1 + childComplexity * first : undefined;
                },
                simpleEstimator({ defaultComplexity: 1 }),
              ],
            }),
          );
          if (complexity > limits.maxComplexity) {
            throw tooComplex(`Query complexity ${complexity} exceeds the limit of ${limits.maxComplexity}`, {
              complexity,
              maxComplexity: limits.maxComplexity,
            });
          }
          if (variableIndependent(document)) {
            const names = passed.get(document) ?? new Set<string>();
            names.add(name);
            passed.set(document, names);
          }
        },
      };
    },
  };
}
