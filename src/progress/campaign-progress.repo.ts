import type { EntityManager } from '@mikro-orm/postgresql';
import type { Scope } from '../common/scoped';
import type { Page } from '../common/pagination';
import type { MetricRow } from '../metrics/metric.types';
import type { CountingMode } from '../campaigns/campaign-enums';
import { UNIT_COLUMNS, type UnitRow } from '../units/unit.repo';
import type { UnitLevel } from '../units/unit-level';
import { pgArray, readRows } from '../db/prepared';

/*
 * Campaign figures of units, read from the rollup tables only (each unit's own rollup_change rows, never
 * its descendants' reports). Every function takes the caller's jurisdiction: `figureScope` over alias `u`
 * (the unit whose figures are read: Progress and Quota read, ANDed) and `campaignScope` over `c`/`su`.
 *
 * A campaign metric's figure on its "end day" (min(today, deadline)):
 *   value      CUMULATIVE: the rollup as of the end day; SINCE_START: that minus the rollup on the day before startDate
 *   gain7      value gained over the 7 days up to the end day (the trailing pace × 7)
 *   completed  first day the value reached the target (running sums of the unit's rollup_change rows), not before startDate
 * Ranks among siblings (same parent, holding a quota for the metric in the campaign, in the caller's jurisdiction):
 *   rank by rate desc, value desc, code (1 = best); completion order by completion day (same day: same order).
 */

export type StandingOrder = 'RATE' | 'VALUE' | 'REMAINING';

export interface FigureRow {
  unitId: number;
  parentId: number | null;
  campaignId: number;
  metric: string;
  countingMode: CountingMode;
  endDay: string;
  target: number | null;
  value: number;
  rate: number | null;
  remaining: number | null;
  gain7: number;
  completedOn: string | null;
  rank: number | null;
  siblingCount: number | null;
  completionOrder: number | null;
}

const json = (rows: unknown[]): string => JSON.stringify(rows);

/**
 * CTE text computing `fig` then `st` (standings) from a CTE `cand(unit_id, parent_id, code, campaign_id, metric,
 * counting_mode, start_date, end_day)`. No bindings. `completion`: also the day each unit reached its target (a
 * running sum over its whole series, half the statement's work), for completedOn / completionOrder; without it
 * they are null.
 */
const figures = (completion: boolean) => `
fig as (
  select cand.*, q.target, s.gain7,
         (s.total - case when cand.counting_mode = 'SINCE_START' then s.base else 0 end)::float8 as value,
         ${completion ? 'case when d.day is null then null else greatest(d.day, cand.start_date) end' : 'null::date'} as completed_on
    from cand
    left join quota q on q.campaign_id = cand.campaign_id and q.unit_id = cand.unit_id and q.metric_code = cand.metric
    cross join lateral (
      select coalesce(sum(c.change), 0) as total,
             coalesce(sum(c.change) filter (where c.date < cand.start_date), 0) as base,
             (coalesce(sum(c.change) filter (where c.date > cand.end_day - 7), 0))::float8 as gain7
        from rollup_change c where c.unit_id = cand.unit_id and c.metric = cand.metric and c.date <= cand.end_day) s
    ${completion ? `left join lateral (
      select min(r.date) as day
        from (select c.date, sum(c.change) over (order by c.date) as running
                from rollup_change c where c.unit_id = cand.unit_id and c.metric = cand.metric and c.date <= cand.end_day) r
       where q.target > 0 and cand.start_date <= cand.end_day
         and (cand.counting_mode = 'CUMULATIVE' or r.date >= cand.start_date)
         and r.running - case when cand.counting_mode = 'SINCE_START' then s.base else 0 end >= q.target) d on true` : ''}
),
rated as (
  select fig.*, case when fig.target > 0 then fig.value / fig.target end as rate,
         case when fig.target is null then null else greatest(fig.target - fig.value, 0) end as remaining
    from fig
),
st as (
  select rated.*,
         case when rated.target is not null then row_number() over (partition by rated.campaign_id, rated.metric, rated.parent_id, rated.target is null
                order by rated.rate desc nulls last, rated.value desc, rated.code) end as rank,
         case when rated.target is not null then count(*) over (partition by rated.campaign_id, rated.metric, rated.parent_id, rated.target is null) end as sibling_count,
         case when rated.completed_on is not null then rank() over (partition by rated.campaign_id, rated.metric, rated.parent_id, rated.completed_on is null
                order by rated.completed_on) end as completion_order
    from rated
)`;

const FIGURE_COLUMNS = (a: string) => `${a}.unit_id as "unitId", ${a}.parent_id as "parentId", ${a}.campaign_id as "campaignId", ${a}.metric,
  ${a}.counting_mode as "countingMode", to_char(${a}.end_day, 'YYYY-MM-DD') as "endDay", ${a}.target, ${a}.value, ${a}.rate::float8 as rate,
  ${a}.remaining::float8 as remaining, ${a}.gain7, to_char(${a}.completed_on, 'YYYY-MM-DD') as "completedOn", ${a}.rank::int as rank,
  ${a}.sibling_count::int as "siblingCount", ${a}.completion_order::int as "completionOrder"`;

/**
 * The campaign metrics of campaigns, as `cm`. The end day is the day asked (default today), the deadline, or the
 * last day of a retired scope unit, whichever comes first; the campaign is read on the tree in force that day
 * (scope_path: the scope unit's ancestry then; '' for a national campaign). Binding: the day asked.
 */
const CAMPAIGN_METRICS = `select c.id as campaign_id, cm.metric_code as metric, cm.counting_mode, c.start_date, e.end_day,
         case when su.id is null then ''::ltree else coalesce(unit_path_on(su.id, e.end_day), su.path) end as scope_path
    from campaign c left join admin_unit su on su.id = c.scope_unit_id join campaign_metric cm on cm.campaign_id = c.id
    cross join lateral (select least(?::date, c.deadline, su.valid_to) as end_day) e`;
/** Membership `m` in force on day expression `d`, of a unit existing that day (alias of admin_unit `u`). */
const IN_FORCE_ON = (m: string, d: string) => `${m}.valid_from <= ${d} and (${m}.valid_to is null or ${m}.valid_to > ${d})`;
const EXISTING_ON = (u: string, d: string) => `${u}.valid_from <= ${d} and (${u}.valid_to is null or ${u}.valid_to >= ${d})`;

export interface UnitCampaignKey {
  unitId: number;
  campaignId: number;
  /** One metric of the campaign, or null for all of them. */
  metric: string | null;
}

/**
 * For many (unit, campaign[, metric]) keys in one statement: one row per campaign metric (catalogue order) with
 * the unit's figure, rank and completion order among its siblings. Keys whose unit lies outside the campaign's
 * scope or the caller's jurisdiction, or whose campaign is invisible, get no rows.
 */
export async function unitCampaignFigures(
  em: EntityManager,
  keys: readonly UnitCampaignKey[],
  today: string,
  figureScope: Scope,
  campaignScope: Scope,
  completion = true,
): Promise<(FigureRow & { i: number; metricRow: MetricRow })[]> {
  if (keys.length === 0) return [];
  const rows: (FigureRow & { i: number } & MetricRow)[] = await readRows(
    em,
    `with k as (select * from jsonb_to_recordset(?::jsonb) as k(i int, unit_id int, campaign_id int, metric text)),
     -- Materialised so the planner fetches the asked units by id instead of walking the scope's subtree
     -- (a national scope covers every unit).
     ku as materialized (select k.* from k join admin_unit u on u.id = k.unit_id),
     -- the unit's parent and ancestry on the campaign's end day
     km as (
       select ku.i, ku.unit_id, tm.parent_id, cm.campaign_id, cm.metric, cm.counting_mode, cm.start_date, cm.end_day
         from ku
         join (${CAMPAIGN_METRICS} where ${campaignScope.sql}) cm on cm.campaign_id = ku.campaign_id and (ku.metric is null or cm.metric = ku.metric)
         join unit_membership tm on tm.unit_id = ku.unit_id and ${IN_FORCE_ON('tm', 'cm.end_day')}
        where tm.path <@ cm.scope_path
     ),
     -- Siblings are fetched once per (campaign, metric, parent), not once per asked unit: 63 provinces share one parent.
     grp as (select distinct campaign_id, metric, counting_mode, start_date, end_day, parent_id from km),
     cand as (
       select distinct u.id as unit_id, g.parent_id, u.code, g.campaign_id, g.metric, g.counting_mode, g.start_date, g.end_day
         from grp g cross join lateral (
                -- siblings that day by parent (indexed), each quota by its unique key; provinces (no parent) apart
                select s.unit_id from unit_membership s join admin_unit su on su.id = s.unit_id and ${EXISTING_ON('su', 'g.end_day')}
                  join quota q on q.campaign_id = g.campaign_id and q.unit_id = s.unit_id and q.metric_code = g.metric
                 where s.parent_id = g.parent_id and ${IN_FORCE_ON('s', 'g.end_day')}
                union
                select s.unit_id from unit_membership s join admin_unit su on su.id = s.unit_id and ${EXISTING_ON('su', 'g.end_day')}
                  join quota q on q.campaign_id = g.campaign_id and q.unit_id = s.unit_id and q.metric_code = g.metric
                 where g.parent_id is null and s.parent_id is null and ${IN_FORCE_ON('s', 'g.end_day')}
                union
                select km.unit_id from km where km.campaign_id = g.campaign_id and km.metric = g.metric
                   and km.parent_id is not distinct from g.parent_id) x
         join admin_unit u on u.id = x.unit_id
        where ${figureScope.sql}
     ),
     ${figures(completion)}
     select km.i, ${FIGURE_COLUMNS('st')},
            m.code, m.name_vi as "nameVi", m.name_en as "nameEn", m.description, m."group", m.reporting_level as "reportingLevel",
            m.pipeline_order as "pipelineOrder"
       from km join st on st.unit_id = km.unit_id and st.campaign_id = km.campaign_id and st.metric = km.metric
       join metric m on m.code = km.metric
      order by km.i, m."group", m.pipeline_order nulls last, m.code`,
    [json(keys.map((k, i) => ({ i, unit_id: k.unitId, campaign_id: k.campaignId, metric: k.metric }))), today, ...campaignScope.bindings, ...figureScope.bindings],
  );
  return rows.map((r) => {
    const { code, nameVi, nameEn, description, group, reportingLevel, pipelineOrder, ...figure } = r;
    return { ...figure, metricRow: { code, nameVi, nameEn, description, group, reportingLevel, pipelineOrder } };
  });
}

export interface StandingRow extends FigureRow {
  unit: UnitRow;
  position: number;
}

const ORDER_COLUMN: Record<StandingOrder, string> = { RATE: 'rate', VALUE: 'value', REMAINING: 'remaining' };

function toStanding(r: Record<string, unknown>): StandingRow {
  const unit: UnitRow = {
    id: r.id as number, code: r.code as string, name: r.name as string, kind: r.kind as string, level: r.level as UnitLevel,
    parentId: r.parentId as number | null, path: r.path as string, eligibleCitizens: r.eligibleCitizens as number | null,
    validFrom: r.validFrom as string, validTo: r.validTo as string | null,
  };
  return { ...(r as unknown as FigureRow), unit, position: Number(r.position) };
}

/** Children (active, inside the campaign's scope and the caller's jurisdiction) of many parents, one page each, ordered by a figure. */
export async function rankedChildrenPages(
  em: EntityManager,
  parentIds: readonly number[],
  campaignId: number,
  metric: string,
  by: StandingOrder,
  descending: boolean,
  page: Page,
  today: string,
  unitScope: Scope,
  campaignScope: Scope,
  completion = true,
): Promise<StandingRow[]> {
  if (parentIds.length === 0) return [];
  const col = ORDER_COLUMN[by];
  const rows: Record<string, unknown>[] = await readRows(
    em,
    `with cm as (${CAMPAIGN_METRICS} where c.id = ? and cm.metric_code = ? and ${campaignScope.sql}),
     cand as (
       select u.id as unit_id, tm.parent_id, u.code, cm.campaign_id, cm.metric, cm.counting_mode, cm.start_date, cm.end_day
         from cm join unit_membership tm on tm.parent_id = any(?::int[]) and ${IN_FORCE_ON('tm', 'cm.end_day')} and tm.path <@ cm.scope_path
         join admin_unit u on u.id = tm.unit_id and ${EXISTING_ON('u', 'cm.end_day')}
        where ${unitScope.sql}
     ),
     ${figures(completion)},
     paged as (
       select st.*, row_number() over (partition by st.parent_id order by st.${col} ${descending ? 'desc' : 'asc'} nulls last, st.code) as position
         from st)
     -- unit columns first: the figure's parent_id (the parent on the end day) must win the shared name
     select ${UNIT_COLUMNS}, ${FIGURE_COLUMNS('p')}, p.position
       from paged p join admin_unit u on u.id = p.unit_id
      where p.position > ?::int and p.position <= ?::int
      order by p.parent_id, p.position`,
    [today, campaignId, metric, ...campaignScope.bindings, pgArray(parentIds), ...unitScope.bindings, page.offset, page.offset + page.limit + 1],
  );
  return rows.map(toStanding);
}

/** How many children rankedChildrenPages would list for each parent. */
export async function rankedChildrenCounts(
  em: EntityManager,
  parentIds: readonly number[],
  campaignId: number,
  metric: string,
  day: string,
  unitScope: Scope,
  campaignScope: Scope,
): Promise<Map<number, number>> {
  if (parentIds.length === 0) return new Map();
  const rows: { parentId: number; n: number }[] = await readRows(
    em,
    `with cm as (${CAMPAIGN_METRICS} where c.id = ? and cm.metric_code = ? and ${campaignScope.sql})
     select tm.parent_id as "parentId", count(*)::int as n
       from cm join unit_membership tm on tm.parent_id = any(?::int[]) and ${IN_FORCE_ON('tm', 'cm.end_day')} and tm.path <@ cm.scope_path
       join admin_unit u on u.id = tm.unit_id and ${EXISTING_ON('u', 'cm.end_day')}
      where ${unitScope.sql}
      group by tm.parent_id`,
    [day, campaignId, metric, ...campaignScope.bindings, pgArray(parentIds), ...unitScope.bindings],
  );
  return new Map(rows.map((r) => [r.parentId, r.n]));
}

/** One page of a campaign's ranking of the units of a level (rate desc, value desc, code), for many campaigns. */
export async function rankingPages(
  em: EntityManager,
  campaignIds: readonly number[],
  metric: string,
  level: UnitLevel,
  page: Page,
  today: string,
  unitScope: Scope,
  campaignScope: Scope,
  completion = true,
): Promise<(StandingRow & { campaignId: number })[]> {
  if (campaignIds.length === 0) return [];
  const rows: Record<string, unknown>[] = await readRows(
    em,
    `with cm as (${CAMPAIGN_METRICS} where c.id = any(?::int[]) and cm.metric_code = ? and ${campaignScope.sql}),
     cand as (
       select u.id as unit_id, tm.parent_id, u.code, cm.campaign_id, cm.metric, cm.counting_mode, cm.start_date, cm.end_day
         from cm join unit_membership tm on tm.path <@ cm.scope_path and ${IN_FORCE_ON('tm', 'cm.end_day')}
         join admin_unit u on u.id = tm.unit_id and u.level = ? and ${EXISTING_ON('u', 'cm.end_day')}
        where ${unitScope.sql}
     ),
     ${figures(completion)},
     paged as (
       select st.*, row_number() over (partition by st.campaign_id order by st.rate desc nulls last, st.value desc, st.code) as position from st)
     -- unit columns first: the figure's parent_id (the parent on the end day) must win the shared name
     select ${UNIT_COLUMNS}, ${FIGURE_COLUMNS('p')}, p.position
       from paged p join admin_unit u on u.id = p.unit_id
      where p.position > ?::int and p.position <= ?::int
      order by p.campaign_id, p.position`,
    [today, pgArray(campaignIds), metric, ...campaignScope.bindings, level, ...unitScope.bindings, page.offset, page.offset + page.limit + 1],
  );
  return rows.map((r) => ({ ...toStanding(r), campaignId: r.campaignId as number }));
}

/** How many units each campaign's ranking lists. */
export async function rankingCounts(
  em: EntityManager,
  campaignIds: readonly number[],
  metric: string,
  level: UnitLevel,
  day: string,
  unitScope: Scope,
  campaignScope: Scope,
): Promise<Map<number, number>> {
  if (campaignIds.length === 0) return new Map();
  const rows: { campaignId: number; n: number }[] = await readRows(
    em,
    `with cm as (${CAMPAIGN_METRICS} where c.id = any(?::int[]) and cm.metric_code = ? and ${campaignScope.sql})
     select cm.campaign_id as "campaignId", count(u.id)::int as n
       from cm join unit_membership tm on tm.path <@ cm.scope_path and ${IN_FORCE_ON('tm', 'cm.end_day')}
       join admin_unit u on u.id = tm.unit_id and u.level = ? and ${EXISTING_ON('u', 'cm.end_day')}
      where ${unitScope.sql}
      group by cm.campaign_id`,
    [day, pgArray(campaignIds), metric, ...campaignScope.bindings, level, ...unitScope.bindings],
  );
  return new Map(rows.map((r) => [r.campaignId, r.n]));
}
