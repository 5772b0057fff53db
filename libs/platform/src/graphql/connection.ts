import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, MaxLength } from 'class-validator';
import type { Type } from '@nestjs/common';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { ValidationError } from '../errors/app-errors.js';

/**
 * Relay-style cursor connections. Cursors are opaque (base64url of the sort key and the id) and
 * pagination is keyset-based, so page N costs the same as page 1 at a million rows.
 */
@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage: boolean;
  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

export interface ConnectionShape<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount?: number;
}

/** Builds the `XxxConnection` and `XxxEdge` GraphQL types for an item type. */
export function Connection<T>(itemType: Type<T>): Type<ConnectionShape<T>> {
  @ObjectType(`${itemType.name}Edge`)
  class Edge {
    @Field()
    cursor: string;
    @Field(() => itemType)
    node: T;
  }

  @ObjectType({ isAbstract: true })
  class ConnectionType {
    @Field(() => [Edge])
    edges: Edge[];
    @Field(() => [itemType])
    nodes: T[];
    @Field(() => PageInfo)
    pageInfo: PageInfo;
  }
  return ConnectionType as Type<ConnectionShape<T>>;
}

export const MAX_PAGE_SIZE = 200;
/** The page size of a connection asked without `first` (also what the query cost counts). */
export const DEFAULT_PAGE_SIZE = 50;

/** A page of a connection; validated at the edge (whose pipe refuses undecorated properties). */
@ArgsType()
export class PageArgs {
  @IsOptional()
  @IsInt()
  @Field(() => Int, {
    nullable: true,
    description: `Page size, 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).`,
  })
  first?: number;
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  @Field(() => String, { nullable: true, description: 'Cursor of the last item of the previous page.' })
  after?: string;
}

export function pageSize(first: number | undefined): number {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw new ValidationError('first', `must be between 1 and ${MAX_PAGE_SIZE}`);
  }
  return size;
}

export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** A sort value or id as this module writes them: short text, a finite number, a boolean or null. */
function isCursorPart(part: unknown): boolean {
  if (typeof part === 'string') return part.length <= 200 && !part.includes('\0');
  if (typeof part === 'number') return Number.isFinite(part);
  return typeof part === 'boolean' || part === null;
}

export function decodeCursor(cursor: string, length: number): unknown[] {
  try {
    if (cursor.length > 1024 || !/^[A-Za-z0-9_-]*$/.test(cursor)) throw new Error('not base64url');
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === length && key.every(isCursorPart)) return key;
  } catch {
    // fall through to the error below
  }
  throw new ValidationError('after', 'is not a cursor returned by this list');
}

export interface KeysetSort<E> {
  /** SQL expression of the sort column, e.g. `c.created_at`; the id breaks ties. */
  column: string;
  /** Reads the sort value from a loaded entity, to build its cursor. */
  value: (entity: E) => unknown;
  direction: 'ASC' | 'DESC';
  /** SQL expression of the unique tie-breaker, e.g. `c.id`. */
  idColumn: string;
  id: (entity: E) => string;
}

/**
 * Applies keyset pagination to a query builder and returns one page as a connection.
 * The sort value in the cursor is compared with a row comparison `(col, id) > (:v, :id)`.
 */
export async function paginate<E extends ObjectLiteral>(
  query: SelectQueryBuilder<E>,
  sort: KeysetSort<E>,
  args: PageArgs,
): Promise<ConnectionShape<E>> {
  const size = pageSize(args.first);
  const op = sort.direction === 'ASC' ? '>' : '<';
  if (args.after) {
    const [value, id] = decodeCursor(args.after, 2);
    if (value === null) {
      // Rows with a null sort value come last (NULLS LAST); page through them by id.
      query.andWhere(`(${sort.column} IS NULL AND ${sort.idColumn} ${op} :cursorId)`, { cursorId: id });
    } else {
      query.andWhere(
        `((${sort.column}, ${sort.idColumn}) ${op} (:cursorValue, :cursorId) OR ${sort.column} IS NULL)`,
        { cursorValue: value, cursorId: id },
      );
    }
  }
  query
    .orderBy(sort.column, sort.direction, 'NULLS LAST')
    .addOrderBy(sort.idColumn, sort.direction)
    .take(undefined)
    .limit(size + 1);
  const rows = await query.getMany().catch((error: unknown) => {
    // A well-formed cursor whose values do not fit the sort column (text for a time, not a uuid…).
    const code = (error as { driverError?: { code?: unknown } }).driverError?.code;
    if (args.after && typeof code === 'string' && code.startsWith('22')) {
      throw new ValidationError('after', 'is not a cursor returned by this list');
    }
    throw error;
  });
  const page = rows.slice(0, size);
  const edges = page.map((node) => {
    const value = sort.value(node);
    return {
      node,
      cursor: encodeCursor([value instanceof Date ? value.toISOString() : value, sort.id(node)]),
    };
  });
  return {
    edges,
    nodes: page,
    pageInfo: {
      hasNextPage: rows.length > size,
      endCursor: edges.length ? edges[edges.length - 1].cursor : null,
    },
  };
}
