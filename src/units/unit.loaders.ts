import DataLoader from 'dataloader';
import type { Context } from '../context';
import { scope } from '../common/scoped';
import type { Page } from '../common/pagination';
import * as repo from './unit.repo';
import type { UnitLevel } from './unit-level';
import { unitColumns } from './unit.service';

const byKeyOrder = <K, V>(keys: readonly K[], rows: V[], keyOf: (v: V) => K): (V | null)[] => {
  const map = new Map(rows.map((r) => [keyOf(r), r]));
  return keys.map((k) => map.get(k) ?? null);
};

/** Per-request unit loaders; every batch runs through the caller's jurisdiction (or is identity-only by design). */
export function createUnitLoaders(ctx: Context) {
  const readScope = () => scope(ctx, 'read', 'Unit', unitColumns);
  const childPageLoaders = new Map<string, DataLoader<number, repo.UnitRow[]>>();
  const childCountLoaders = new Map<string, DataLoader<number, number>>();
  const descendantLoaders = new Map<string, DataLoader<{ id: number; path: string }, number, number>>();
  const identityLoaders = new Map<string, DataLoader<number, repo.UnitRow | null>>();

  return {
    /** Scoped units by id. */
    byId: new DataLoader<number, repo.UnitRow | null>(async (ids) => byKeyOrder(ids, await repo.unitsByIds(ctx.em, ids, readScope()), (r) => r.id)),
    /** Identity of any unit (for parents and ancestors, shown as breadcrumbs). */
    identity: new DataLoader<number, repo.UnitRow | null>(async (ids) => byKeyOrder(ids, await repo.unitIdentitiesByIds(ctx.em, ids), (r) => r.id)),
    /** The same, with the name in force on a day (null: current). */
    identityOn(day: string | null) {
      let loader = identityLoaders.get(`${day}`);
      if (!loader) {
        loader = new DataLoader<number, repo.UnitRow | null>(async (ids) => byKeyOrder(ids, await repo.unitIdentitiesByIds(ctx.em, ids, day), (r) => r.id));
        identityLoaders.set(`${day}`, loader);
      }
      return loader;
    },
    childPage(level: UnitLevel | null, includeRetired: boolean, page: Page, day: string | null = null) {
      const key = `${level}|${includeRetired}|${page.limit}|${page.offset}|${day}`;
      let loader = childPageLoaders.get(key);
      if (!loader) {
        loader = new DataLoader(async (parentIds) => {
          const rows = await repo.childrenPages(ctx.em, parentIds, level, page, includeRetired, readScope(), day);
          return parentIds.map((id) => rows.filter((r) => (day ? r.treeParentId : r.parentId) === id));
        });
        childPageLoaders.set(key, loader);
      }
      return loader;
    },
    childCount(level: UnitLevel | null, includeRetired: boolean, day: string | null = null) {
      const key = `${level}|${includeRetired}|${day}`;
      let loader = childCountLoaders.get(key);
      if (!loader) {
        loader = new DataLoader(async (parentIds) => {
          const counts = await repo.childCounts(ctx.em, parentIds, level, includeRetired, readScope(), day);
          return parentIds.map((id) => counts.get(id) ?? 0);
        });
        childCountLoaders.set(key, loader);
      }
      return loader;
    },
    descendantCount(level: UnitLevel | null, day: string | null = null) {
      const key = `${level}|${day}`;
      let loader = descendantLoaders.get(key);
      if (!loader) {
        loader = new DataLoader(
          async (units) => {
            const counts = await repo.descendantCounts(ctx.em, units, level, readScope(), day);
            return units.map((u) => counts.get(u.id) ?? 0);
          },
          { cacheKeyFn: (u) => u.id },
        );
        descendantLoaders.set(key, loader);
      }
      return loader;
    },
  };
}
