import { toGlobalId } from '../src/common/global-id';
import { gqlBody, type LoadEntry } from './load';

/** What the read scenarios need to know about the loaded data. */
export interface ReadContext {
  fields: Set<string>;
  today: string;
  /** First day of the 30-day series (today − 29). */
  seriesFrom: string;
  provinceCode: string;
  communeCode: string;
  /** Campaign of the province drilled into / of the commune's province (one campaign per province). */
  provinceCampaignId: number;
  /** The national campaign (no scope unit) with a quota per province. */
  nationalCampaignId: number;
  tokens: { national: string; province: string; commune: string };
}

export interface ReadScenario {
  id: number;
  name: string;
  /** Fields without which the scenario is skipped ("not available: …"). */
  requires: string[];
  /** Fields asked for when the server has them; listed as "without …" otherwise. */
  optional: string[];
  entries: LoadEntry[];
  /** The SQL floor: one statement computing the same numbers over the same tables. */
  floor: { sql: string; params: unknown[] };
}

const has = (ctx: ReadContext, f: string) => ctx.fields.has(f);
const P = (metric: string, sel = 'value') => `progress(metric: "${metric}") { ${sel} }`;

/**
 * 1. National dashboard: a national VIEWER reads all 63 provinces of the national campaign, ordered by rate,
 * with target, value, rate and rank for the three pipeline metrics.
 */
function national(ctx: ReadContext): ReadScenario {
  const query = `query NationalDashboard($campaignId: ID!) {
    campaign(id: $campaignId) {
      name
      ranking(level: PROVINCE, metric: "eid.activated", first: 100) {
        totalCount
        nodes {
          rank rate value target
          unit { id code name campaignProgress(campaignId: $campaignId) { metric { code } target value rate rank remaining } }
        }
      }
    }
  }`;
  return {
    id: 1,
    name: 'national dashboard',
    requires: ['Campaign.ranking', 'Unit.campaignProgress'],
    optional: [],
    entries: [{ token: ctx.tokens.national, body: gqlBody(query, { campaignId: toGlobalId('Campaign', ctx.nationalCampaignId) }) }],
    floor: {
      sql: `select u.id, u.code, u.name, m.metric_code, q.target, t.value, t.value::float / nullif(q.target, 0) as rate,
                   rank() over (partition by m.metric_code order by t.value::float / nullif(q.target, 0) desc nulls last) as rank
              from admin_unit u
              cross join campaign_metric m
              left join quota q on q.campaign_id = m.campaign_id and q.unit_id = u.id and q.metric_code = m.metric_code
              left join rollup_total t on t.unit_id = u.id and t.metric = m.metric_code
             where u.level = 'PROVINCE' and m.campaign_id = $1
             order by rank`,
      params: [ctx.nationalCampaignId],
    },
  };
}

/** 2. Province drill-down: a province VIEWER reads its province, districts and communes with figures and quotas. */
function province(ctx: ReadContext): ReadScenario {
  const cid = toGlobalId('Campaign', ctx.provinceCampaignId);
  const campaign = has(ctx, 'Unit.campaignProgress') && has(ctx, 'Unit.rankedChildren');
  const unitFields = `code name
    collected: ${P('eid.collected')}
    activated: ${P('eid.activated')}
    quota(campaignId: $campaignId, metric: "eid.activated") { target }
    ${campaign ? 'campaignProgress(campaignId: $campaignId, metric: "eid.activated") { value target rate rank siblingCount }' : ''}`;
  const ranked = campaign
    ? `rankedChildren(campaignId: $campaignId, metric: "eid.activated", by: RATE, first: 20) { nodes { position rank rate value target unit { code name } } }`
    : '';
  const query = `query ProvinceDrillDown($code: String!, $campaignId: ID!) {
    unitByCode(code: $code) {
      ${unitFields}
      figure: ${P('eid.collected', 'value reportedUnits reportingUnits')}
      ${ranked}
      children(first: 20) { totalCount nodes { ${unitFields}
        children(first: 20) { totalCount nodes { ${unitFields} } } } }
    }
  }`;
  return {
    id: 2,
    name: 'province drill-down',
    requires: ['Unit.progress', 'Unit.quota'],
    optional: ['Unit.campaignProgress', 'Unit.rankedChildren'],
    entries: [{ token: ctx.tokens.province, body: gqlBody(query, { code: ctx.provinceCode, campaignId: cid }) }],
    floor: {
      sql: `with p as (select id, path from admin_unit where code = $1)
            select u.id, u.code, u.name, u.parent_id, c.value as collected, c.reporters, a.value as activated, q.target,
                   a.value::float8 / nullif(q.target, 0) as rate,
                   rank() over (partition by u.parent_id order by a.value::float8 / nullif(q.target, 0) desc nulls last, a.value desc, u.code) as rank,
                   case when u.id = p.id then (select count(*) from admin_unit h where h.path <@ p.path and h.level = 'HAMLET'
                                                 and h.valid_from <= $3::date and (h.valid_to is null or h.valid_to >= $3::date)) end as reporting
              from p join admin_unit u on u.path <@ p.path and nlevel(u.path) <= nlevel(p.path) + 2
              left join rollup_total c on c.unit_id = u.id and c.metric = 'eid.collected'
              left join rollup_total a on a.unit_id = u.id and a.metric = 'eid.activated'
              left join quota q on q.campaign_id = $2 and q.unit_id = u.id and q.metric_code = 'eid.activated'
             order by u.path`,
      params: [ctx.provinceCode, ctx.provinceCampaignId, ctx.today],
    },
  };
}

/** 3. Commune page: a commune OFFICER reads its commune, its hamlets, quotas, reasons and a 30-day series. */
function commune(ctx: ReadContext): ReadScenario {
  const cid = toGlobalId('Campaign', ctx.provinceCampaignId);
  const reasons = has(ctx, 'Unit.reasons') ? 'reasons { metric { code } value }' : '';
  const teams = has(ctx, 'Unit.teams') ? 'teams { name kind active }' : '';
  const coverage = has(ctx, 'Unit.teamCoverage') ? 'teamCoverage(campaignId: $campaignId) { hamletCount hamletsMeetingMinimum minTeamsPerHamlet }' : '';
  const campaign = has(ctx, 'Unit.campaignProgress') ? 'campaignProgress(campaignId: $campaignId, metric: "eid.activated") { value target rate rank pacePerDay projectedCompletionOn }' : '';
  const query = `query CommunePage($code: String!, $campaignId: ID!, $from: Date!, $to: Date!) {
    unitByCode(code: $code) {
      code name eligibleCitizens
      collected: ${P('eid.collected', 'value reportedUnits reportingUnits')}
      approved: ${P('eid.approved')}
      activated: ${P('eid.activated')}
      quota(campaignId: $campaignId, metric: "eid.activated") { target allocatedToChildren }
      series(metric: "eid.activated", from: $from, to: $to) { date value }
      ${reasons}
      ${coverage}
      ${campaign}
      children(first: 100) { totalCount nodes {
        code name eligibleCitizens
        collected: ${P('eid.collected')}
        activated: ${P('eid.activated')}
        quota(campaignId: $campaignId, metric: "eid.activated") { target }
        ${campaign.replace(' pacePerDay projectedCompletionOn', '')}
        ${teams}
      } }
    }
  }`;
  return {
    id: 3,
    name: 'commune page',
    requires: ['Unit.progress', 'Unit.series', 'Unit.quota'],
    optional: ['Unit.reasons', 'Unit.teams', 'Unit.teamCoverage', 'Unit.campaignProgress'],
    entries: [{ token: ctx.tokens.commune, body: gqlBody(query, { code: ctx.communeCode, campaignId: cid, from: ctx.seriesFrom, to: ctx.today }) }],
    floor: {
      sql: `with c as (select id, path from admin_unit where code = $1),
            units as (
              select u.id, u.code, u.name, u.eligible_citizens, col.value as collected, col.reporters, app.value as approved, act.value as activated, q.target
                from c join admin_unit u on u.id = c.id or u.parent_id = c.id
                left join rollup_total col on col.unit_id = u.id and col.metric = 'eid.collected'
                left join rollup_total app on app.unit_id = u.id and app.metric = 'eid.approved'
                left join rollup_total act on act.unit_id = u.id and act.metric = 'eid.activated'
                left join quota q on q.campaign_id = $2 and q.unit_id = u.id and q.metric_code = 'eid.activated'),
            series as (
              select d.day, b.base + sum(coalesce(rc.change, 0)) over (order by d.day) as value
                from c cross join lateral (select coalesce(sum(change), 0) as base from rollup_change
                                            where unit_id = c.id and metric = 'eid.activated' and date < $3::date) b
                cross join generate_series($3::date, $4::date, interval '1 day') d(day)
                left join rollup_change rc on rc.unit_id = c.id and rc.metric = 'eid.activated' and rc.date = d.day::date)
            select (select json_agg(units) from units) as units, (select json_agg(series) from series) as series,
                   (select count(*) from c join admin_unit h on h.path <@ c.path and h.level = 'HAMLET') as reporting`,
      params: [ctx.communeCode, ctx.provinceCampaignId, ctx.seriesFrom, ctx.today],
    },
  };
}

export function readScenarios(ctx: ReadContext): ReadScenario[] {
  return [national(ctx), province(ctx), commune(ctx)];
}

export const missingOf = (fields: Set<string>, wanted: string[]): string[] => wanted.filter((f) => !fields.has(f));
