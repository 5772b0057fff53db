import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ModulesContainer } from '@nestjs/core';
import { GraphQLSchemaHost, RESOLVER_NAME_METADATA, RESOLVER_TYPE_METADATA } from '@nestjs/graphql';
import {
  type GraphQLField,
  type GraphQLInputType,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
} from 'graphql';
import { ALLOWED_ROLES, PUBLIC_ROUTE } from '#platform/auth/allow.decorator';
import { startTestNode, type TestNode } from '../testing/test-node.js';
import { ALL_ROLES, Role } from '../users/role.js';

/**
 * Proves, for every query and mutation of the schema, that it declares its roles and that each
 * role it does not allow is refused with FORBIDDEN, while each role it allows gets past the guard.
 * New operations are covered automatically: nothing to add here.
 */
interface Declared {
  public: boolean;
  roles: string[];
}

function declaredAccess(node: TestNode): Map<string, Declared> {
  const found = new Map<string, Declared>();
  for (const module of node.app.get(ModulesContainer).values()) {
    for (const wrapper of module.providers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
      if (!type || typeof type !== 'function' || !type.prototype) continue;
      for (const method of Object.getOwnPropertyNames(type.prototype)) {
        // Read descriptors, not values: some framework classes have getters on their prototype.
        const handler: unknown = Object.getOwnPropertyDescriptor(type.prototype, method)?.value;
        if (typeof handler !== 'function') continue;
        const kind = Reflect.getMetadata(RESOLVER_TYPE_METADATA, handler) as string | undefined;
        if (kind !== 'Query' && kind !== 'Mutation') continue;
        const name = (Reflect.getMetadata(RESOLVER_NAME_METADATA, handler) as string | undefined) ?? method;
        const isPublic = Boolean(
          Reflect.getMetadata(PUBLIC_ROUTE, handler) ?? Reflect.getMetadata(PUBLIC_ROUTE, type),
        );
        const roles = (Reflect.getMetadata(ALLOWED_ROLES, handler) ??
          Reflect.getMetadata(ALLOWED_ROLES, type) ??
          []) as string[];
        found.set(`${kind}.${name}`, { public: isPublic, roles });
      }
    }
  }
  return found;
}

function sampleValue(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sampleValue(type.ofType);
  if (isListType(type)) return [sampleValue(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0].name;
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (isNonNullType(field.type)) value[field.name] = sampleValue(field.type);
    }
    return value;
  }
  switch (type.name) {
    case 'ID':
      return randomUUID();
    case 'Int':
    case 'Float':
      return 1;
    case 'Boolean':
      return true;
    case 'DateTime':
      return new Date().toISOString();
    case 'JSON':
    case 'JSONObject':
      return {};
    default:
      return 'x';
  }
}

function operationFor(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>) {
  const required = field.args.filter((arg) => isNonNullType(arg.type));
  const vars = required.map((arg) => `$${arg.name}: ${arg.type.toString()}`).join(', ');
  const args = required.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
  const query = `${kind}${vars ? `(${vars})` : ''} { ${field.name}${args ? `(${args})` : ''}${selection} }`;
  const variables = Object.fromEntries(required.map((arg) => [arg.name, sampleValue(arg.type)]));
  return { query, variables };
}

describe('every query and mutation checks the caller’s role', () => {
  let node: TestNode;
  const tokens = new Map<Role, string>();

  beforeAll(async () => {
    node = await startTestNode('roles');
    for (const role of ALL_ROLES) tokens.set(role, await node.tokenFor(role));
  });
  afterAll(async () => node?.close());

  it('declares roles (or is explicitly public) on every root field', () => {
    const declared = declaredAccess(node);
    const schema = node.app.get(GraphQLSchemaHost).schema;
    const missing: string[] = [];
    for (const [kind, type] of [
      ['Query', schema.getQueryType()],
      ['Mutation', schema.getMutationType()],
    ] as const) {
      for (const name of Object.keys(type?.getFields() ?? {})) {
        const access = declared.get(`${kind}.${name}`);
        if (!access || (!access.public && access.roles.length === 0)) missing.push(`${kind}.${name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('refuses every role it does not allow, and lets every allowed role past the guard', async () => {
    const declared = declaredAccess(node);
    const schema = node.app.get(GraphQLSchemaHost).schema;
    const wrong: string[] = [];
    let checked = 0;
    for (const [kind, type] of [
      ['query', schema.getQueryType()],
      ['mutation', schema.getMutationType()],
    ] as const) {
      for (const field of Object.values(type?.getFields() ?? {})) {
        const access = declared.get(`${kind === 'query' ? 'Query' : 'Mutation'}.${field.name}`)!;
        if (access.public) continue;
        const { query, variables } = operationFor(kind, field);
        for (const role of ALL_ROLES) {
          const response = await node.gql(query, variables, tokens.get(role));
          const codes = (response.errors ?? []).map((e) => e.extensions?.code);
          const refused = codes.includes('FORBIDDEN') || codes.includes('UNAUTHENTICATED');
          const allowed = access.roles.includes(role);
          checked++;
          if (allowed === refused)
            wrong.push(
              `${field.name} as ${role}: ${allowed ? 'refused' : 'let through'} ${JSON.stringify(codes)}`,
            );
        }
        // Without a token, nothing but public fields answers.
        const anonymous = await node.gql(query, variables);
        if (anonymous.errors?.[0]?.extensions?.code !== 'UNAUTHENTICATED')
          wrong.push(`${field.name} anonymous: not refused`);
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(ALL_ROLES.length * 4);
  });
});
