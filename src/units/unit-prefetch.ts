import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../context';
import { connectionItemFields, type SelectedField } from '../common/lookahead';
import type { Unit } from './unit.types';

/**
 * Loads, for a page of units, what one field selected on them will read, and keeps the results where that field's
 * resolver finds them without waiting (e.g. progress figures). Must use the same loaders and keys as the field, so
 * the statements are those the field would have run. A failure is left for the field to report.
 */
export type UnitFieldPrefetch = (ctx: Context, units: readonly Unit[], field: SelectedField, info: GraphQLResolveInfo) => Promise<unknown>;

let prefetchers = new Map<string, UnitFieldPrefetch>();
let names: ReadonlySet<string> = new Set();

/** Set once by the schema (src/schema.ts): the Unit fields that can be loaded ahead for a page. */
export function usePrefetchers(byField: Record<string, UnitFieldPrefetch>): void {
  prefetchers = new Map(Object.entries(byField));
  names = new Set(prefetchers.keys());
}

/**
 * Before a connection of units returns its page: loads what the fields selected on its nodes will read, one batch
 * per field for the whole page (and for sibling pages resolved in the same tick). graphql-js then completes each unit
 * synchronously instead of building a promise per field and per unit, which is most of a dashboard's cost.
 */
export async function prefetchUnitFields(ctx: Context, units: readonly Unit[], info: GraphQLResolveInfo): Promise<void> {
  if (units.length === 0 || names.size === 0) return;
  const fields = connectionItemFields(info, 'Unit', names);
  if (fields.length === 0) return;
  await Promise.all(fields.map((f) => prefetchers.get(f.node.name.value)!(ctx, units, f, info).catch(() => undefined)));
}
