import DataLoader from 'dataloader';
import type { Context } from '../context';
import { lineageOf, namesOf, type LineageRow, type NameRow } from './lineage.repo';

const group = <R extends { unitId: number }>(ids: readonly number[], rows: R[]): R[][] => ids.map((id) => rows.filter((r) => r.unitId === id));

/** Lineage and former names of many units, one statement per field (rows of units the caller already sees). */
export function createLineageLoaders(ctx: Context) {
  return {
    predecessors: new DataLoader<number, LineageRow[]>(async (ids) => group(ids, await lineageOf(ctx.em, ids, 'predecessors'))),
    successors: new DataLoader<number, LineageRow[]>(async (ids) => group(ids, await lineageOf(ctx.em, ids, 'successors'))),
    names: new DataLoader<number, NameRow[]>(async (ids) => group(ids, await namesOf(ctx.em, ids))),
  };
}
