import type { EntityManager } from '@mikro-orm/postgresql';
import type { LineageKind } from './tree.entity';

/** Lineage and name history are identity data (like breadcrumbs): read for units the caller already sees. */

export interface LineageRow {
  unitId: number;
  otherId: number;
  effectiveDate: string;
  kind: LineageKind;
  carriesFigures: boolean;
  share: number | null;
}

/** Links of many units in one statement: `direction` 'predecessors' lists the units that passed into each unit. */
export async function lineageOf(em: EntityManager, ids: readonly number[], direction: 'predecessors' | 'successors'): Promise<LineageRow[]> {
  if (ids.length === 0) return [];
  const [self, other] = direction === 'predecessors' ? ['successor_id', 'predecessor_id'] : ['predecessor_id', 'successor_id'];
  return em.execute(
    `select l.${self} as "unitId", l.${other} as "otherId", to_char(l.effective_date, 'YYYY-MM-DD') as "effectiveDate", l.kind,
            l.carries_figures as "carriesFigures", l.share::float8 as share
       from unit_lineage l join admin_unit o on o.id = l.${other}
      where l.${self} in (${ids.map(() => '?').join(',')}) order by l.effective_date, o.code`,
    [...ids],
  );
}

export interface NameRow {
  unitId: number;
  name: string;
  kind: string;
  validFrom: string | null;
  validTo: string;
}

export async function namesOf(em: EntityManager, ids: readonly number[]): Promise<NameRow[]> {
  if (ids.length === 0) return [];
  return em.execute(
    `select unit_id as "unitId", name, kind, case when valid_from = '-infinity' then null else to_char(valid_from, 'YYYY-MM-DD') end as "validFrom",
            to_char(valid_to, 'YYYY-MM-DD') as "validTo"
       from unit_name_history where unit_id in (${ids.map(() => '?').join(',')}) order by unit_id, valid_to`,
    [...ids],
  );
}

export async function latestRenameAfter(em: EntityManager, unitId: number, day: string): Promise<boolean> {
  const rows = await em.execute('select 1 from unit_name_history where unit_id = ? and valid_to > ?::date limit 1', [unitId, day]);
  return rows.length > 0;
}
