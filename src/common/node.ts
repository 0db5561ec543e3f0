import { Field, ID, InterfaceType } from 'type-graphql';
import type { Context } from '../context';
import { parseGlobalId } from './global-id';

@InterfaceType('Node', {
  description: 'An object with a globally unique, opaque id; fetch any of them with `node(id:)`.',
  resolveType: (value: { __typename?: string }) => value.__typename,
})
export abstract class Node {
  @Field(() => ID, { description: 'Globally unique opaque id.' })
  id!: string;
}

type NodeFetcher = (ctx: Context, localId: number) => Promise<object | null>;
const fetchers = new Map<string, NodeFetcher>();

/** Each feature registers how to load its node types (through its scoped service). */
export function registerNodeType(typename: string, fetch: NodeFetcher): void {
  fetchers.set(typename, fetch);
}

export async function fetchNode(ctx: Context, globalId: string): Promise<object | null> {
  const parsed = parseGlobalId(globalId);
  const fetch = parsed && fetchers.get(parsed.type);
  if (!parsed || !fetch) return null;
  return fetch(ctx, Number(parsed.id));
}
