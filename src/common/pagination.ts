import { ArgsType, Field, Int, ObjectType, ClassType } from 'type-graphql';
import { BadUserInputError } from './errors';

export const DEFAULT_PAGE_SIZE = 20;
let maxPageSize = 100;
export function setMaxPageSize(n: number): void {
  maxPageSize = n;
}

@ObjectType({ description: 'Relay page information.' })
export class PageInfo {
  @Field({ description: 'True when more items follow this page.' })
  hasNextPage!: boolean;
  @Field({ description: 'True when items precede this page.' })
  hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true, description: 'Cursor of the first edge of this page.' })
  startCursor!: string | null;
  @Field(() => String, { nullable: true, description: 'Cursor of the last edge; pass it as `after` to get the next page.' })
  endCursor!: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: 'Page size (default 20, at most MAX_PAGE_SIZE, 100 by default).' })
  first?: number | null;
  @Field(() => String, { nullable: true, description: 'Return the items after this cursor.' })
  after?: string | null;
}

export interface Page {
  limit: number;
  offset: number;
}

const encodeCursor = (offset: number): string => Buffer.from(`cursor:${offset}`).toString('base64url');

function decodeCursor(cursor: string): number | null {
  const m = /^cursor:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : null;
}

/** Validates first/after into a limit/offset; `pathPrefix` names the field in errors. */
export function toPage(args: PageArgs, pathPrefix: string[] = []): Page {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > maxPageSize) {
    throw BadUserInputError.field([...pathPrefix, 'first'], `first must be between 0 and ${maxPageSize} (got ${first}).`);
  }
  let offset = 0;
  if (args.after != null) {
    const decoded = decodeCursor(args.after);
    if (decoded === null) throw BadUserInputError.field([...pathPrefix, 'after'], 'after is not a valid cursor.');
    offset = decoded + 1;
  }
  return { limit: first, offset };
}

export interface ConnectionShape<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
  readonly totalCount: Promise<number>;
}

/** Builds a connection from rows fetched with `limit + 1` (the extra row only tells whether a next page exists). */
export function toConnection<T>(rows: T[], page: Page, count: () => Promise<number>): ConnectionShape<T> {
  return connection(rows, page.limit, page.offset > 0, (_, i) => encodeCursor(page.offset + i), count);
}

function connection<T>(rows: T[], limit: number, hasPreviousPage: boolean, cursorOf: (row: T, i: number) => string, count: () => Promise<number>): ConnectionShape<T> {
  const items = rows.slice(0, limit);
  const edges = items.map((node, i) => ({ cursor: cursorOf(node, i), node }));
  let counted: Promise<number> | undefined;
  return {
    edges,
    nodes: items,
    pageInfo: {
      hasNextPage: rows.length > limit,
      hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    get totalCount() {
      return (counted ??= count());
    },
  };
}

/** Declares `<Name>Connection` and `<Name>Edge` object types for a node type. */
export function ConnectionType<T extends object>(node: ClassType<T>, name: string, what: string) {
  @ObjectType(`${name}Edge`, { description: `An edge to a ${what}.` })
  class Edge {
    @Field({ description: 'Opaque cursor of this edge.' })
    cursor!: string;
    @Field(() => node, { description: `The ${what}.` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${what}s.` })
  class Connection implements ConnectionShape<T> {
    @Field(() => [Edge], { description: 'The edges of this page.' })
    edges!: Edge[];
    @Field(() => [node], { description: `The ${what}s of this page (the edges' nodes, for convenience).` })
    nodes!: T[];
    @Field(() => PageInfo, { description: 'Where this page sits.' })
    pageInfo!: PageInfo;
    @Field(() => Int, { description: `How many ${what}s match, over all pages.` })
    totalCount!: Promise<number>;
  }
  return Connection;
}

/*
 * Keyset cursors, for connections that grow while clients page through them (new rows arrive at the
 * head): the cursor carries the sort key of the last row seen, so the next page starts right after it,
 * whatever was inserted meanwhile, and the database seeks to it through the index instead of skipping
 * `offset` rows.
 */

export interface KeysetPage<K> {
  limit: number;
  /** Sort key of the last row already seen; null for the first page. */
  after: K | null;
}

/**
 * Validates first/after for a keyset connection named `kind`; `parseKey` checks the decoded key's shape
 * (a cursor of another connection, or an offset cursor, is BAD_USER_INPUT).
 */
export function toKeysetPage<K>(args: PageArgs, kind: string, parseKey: (parts: string[]) => K | null, pathPrefix: string[] = []): KeysetPage<K> {
  const { limit } = toPage({ first: args.first }, pathPrefix);
  if (args.after == null) return { limit, after: null };
  const decoded = Buffer.from(args.after, 'base64url').toString('utf8').split('|');
  const key = decoded[0] === `k:${kind}` ? parseKey(decoded.slice(1)) : null;
  if (key === null) throw BadUserInputError.field([...pathPrefix, 'after'], 'after is not a valid cursor.');
  return { limit, after: key };
}

export const keysetCursor = (kind: string, key: (string | number)[]): string => Buffer.from([`k:${kind}`, ...key].join('|')).toString('base64url');

/** A connection from rows fetched with `limit + 1`; each edge's cursor carries its row's sort key. */
export function toKeysetConnection<T>(rows: T[], page: KeysetPage<unknown>, kind: string, keyOf: (row: T) => (string | number)[], count: () => Promise<number>): ConnectionShape<T> {
  return connection(rows, page.limit, page.after !== null, (row) => keysetCursor(kind, keyOf(row)), count);
}
