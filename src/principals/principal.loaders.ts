import DataLoader from 'dataloader';
import type { Context } from '../context';
import * as repo from './principal.repo';

const groupBy = <V>(keys: readonly number[], rows: V[], keyOf: (v: V) => number): V[][] => {
  const map = new Map<number, V[]>();
  for (const r of rows) map.set(keyOf(r), [...(map.get(keyOf(r)) ?? []), r]);
  return keys.map((k) => map.get(k) ?? []);
};

/** Per-request loaders for principals' grants and keys. Keys are ids of principals already read through the scope. */
export function createPrincipalLoaders(ctx: Context) {
  return {
    grants: new DataLoader<number, repo.GrantRow[]>(async (ids) => groupBy(ids, await repo.grantsOfPrincipals(ctx.em, ids), (g) => g.principalId)),
    apiKeys: new DataLoader<number, repo.ApiKeyRow[]>(async (ids) => groupBy(ids, await repo.apiKeysOfPrincipals(ctx.em, ids), (k) => k.principalId)),
  };
}
