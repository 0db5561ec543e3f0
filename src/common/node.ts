import { Field, ID, InterfaceType } from 'type-graphql';
import type { Context } from '../context';
import { parseGlobalKey } from './global-id';

@InterfaceType('Node', {
  description: 'An object with a globally unique, opaque id; fetch any of them with `node(id:)`.',
  resolveType: (value: { __typename?: string }) => value.__typename,
})
export abstract class Node {
  @Field(() => ID, { description: 'Globally unique opaque id.' })
  id!: string;
}

type KeyedFetcher = (ctx: Context, key: string) => Promise<object | null>;
const fetchers = new Map<string, KeyedFetcher>();

/** Each feature registers how to load its node types (through its scoped service), by numeric id… */
export function registerNodeType(typename: string, fetch: (ctx: Context, localId: number) => Promise<object | null>): void {
  fetchers.set(typename, async (ctx, key) => (/^[0-9]{1,15}$/.test(key) ? fetch(ctx, Number(key)) : null));
}

/** …or by the key its global id wraps, for types keyed by a code (Metric). */
export function registerKeyedNodeType(typename: string, fetch: KeyedFetcher): void {
  fetchers.set(typename, fetch);
}

export async function fetchNode(ctx: Context, globalId: string): Promise<object | null> {
  const parsed = parseGlobalKey(globalId);
  const fetch = parsed && fetchers.get(parsed.type);
  if (!parsed || !fetch) return null;
  return fetch(ctx, parsed.key);
}
