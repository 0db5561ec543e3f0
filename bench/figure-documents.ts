import { toGlobalId } from '../src/common/global-id';
import { gqlBody, type LoadEntry } from './load';
import type { ReadContext } from './read-scenarios';

/**
 * Our documents with the PostGraphile peer's figure set (its S1 and S2: per unit the three pipeline metrics with
 * value and target), beside the richer bench scenarios 1 and 2. Taken from the side-by-side harness
 * (shared/peers/side-by-side/ours-up.js, documents s1q and s2q) with their SQL floors, so the two runs agree.
 */
export interface FigureDocument {
  /** Scenario it belongs to (1 national, 2 province). */
  id: 1 | 2;
  name: string;
  requires: string[];
  entries: LoadEntry[];
  floor: { sql: string; params: unknown[] };
}

const METRICS = ['eid.collected', 'eid.approved', 'eid.activated'];
const ALIAS = ['c', 'a', 'x'];
const values = METRICS.map((m, i) => `${ALIAS[i]}: progress(metric: "${m}") { value }`).join('\n      ');
const targets = METRICS.map((m, i) => `${ALIAS[i]}q: quota(campaignId: $campaignId, metric: "${m}") { target }`).join('\n      ');
const unitSelection = `code name
      ${values}
      ${targets}`;

const jsonValues = (a: string) => METRICS.map((m, i) => `'${ALIAS[i]}', (select t.value from rollup_total t where t.unit_id = ${a}.id and t.metric = '${m}')`).join(', ');
const jsonTargets = (a: string) =>
  METRICS.map((m, i) => `'${ALIAS[i]}q', (select q.target from quota q where q.campaign_id = $1 and q.unit_id = ${a}.id and q.metric_code = '${m}')`).join(', ');
const unitJson = (a: string) => `json_build_object('code', ${a}.code, 'name', ${a}.name, ${jsonValues(a)}, ${jsonTargets(a)}`;

/** 1: the 63 provinces, three values and three targets of the national campaign each (national VIEWER). */
function nationalFigures(ctx: ReadContext): FigureDocument {
  const query = `query NationalFigures($campaignId: ID!) {
  units(level: PROVINCE, first: 63) {
    nodes {
      ${unitSelection}
    }
  }
}`;
  return {
    id: 1,
    name: 'figures: 63 provinces × 3 (value, target)',
    requires: ['Query.units', 'Unit.progress', 'Unit.quota'],
    entries: [{ token: ctx.tokens.national, body: gqlBody(query, { campaignId: toGlobalId('Campaign', ctx.nationalCampaignId) }) }],
    floor: {
      sql: `select coalesce(json_agg(${unitJson('u')}) order by u.code), '[]') as doc
              from admin_unit u where u.level = 'PROVINCE' and u.valid_to is null`,
      params: [ctx.nationalCampaignId],
    },
  };
}

/** 2: the province, its districts and their communes, three values and three targets each (province VIEWER). */
function provinceFigures(ctx: ReadContext): FigureDocument {
  const query = `query ProvinceFigures($code: String!, $campaignId: ID!) {
  unitByCode(code: $code) {
    ${unitSelection}
    districts: children(first: 20) { nodes {
      ${unitSelection}
      communes: children(first: 20) { nodes {
        ${unitSelection}
      } }
    } }
  }
}`;
  return {
    id: 2,
    name: 'figures: province + districts + communes × 3 (value, target)',
    requires: ['Query.unitByCode', 'Unit.children', 'Unit.progress', 'Unit.quota'],
    entries: [{ token: ctx.tokens.province, body: gqlBody(query, { code: ctx.provinceCode, campaignId: toGlobalId('Campaign', ctx.provinceCampaignId) }) }],
    floor: {
      sql: `select ${unitJson('p')}, 'districts', (
                select coalesce(json_agg(${unitJson('d')}, 'communes', (
                    select coalesce(json_agg(${unitJson('c')}) order by c.code), '[]')
                      from admin_unit c where c.parent_id = d.id and c.valid_to is null)) order by d.code), '[]')
                  from admin_unit d where d.parent_id = p.id and d.valid_to is null)) as doc
              from admin_unit p where p.code = $2`,
      params: [ctx.provinceCampaignId, ctx.provinceCode],
    },
  };
}

export const figureDocuments = (ctx: ReadContext): FigureDocument[] => [nationalFigures(ctx), provinceFigures(ctx)];
