import 'reflect-metadata';
import { buildSchema, type NonEmptyArray } from 'type-graphql';
import { GraphQLObjectType, lexicographicSortSchema, printSchema, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { Context } from './context';
import type { Unit } from './units/unit.types';
import { authChecker } from './auth/auth-checker';
import { NodeResolver } from './common/node.resolver';
import { DateScalar, DateTimeScalar } from './common/scalars';
import { UnitResolver } from './units/unit.resolver';
import { UnitFieldsResolver } from './units/unit.fields.resolver';
import { MetricResolver } from './metrics/metric.resolver';
import { SessionResolver } from './auth/session.resolver';
import { PrincipalResolver } from './principals/principal.resolver';
import { GrantFieldsResolver, PrincipalFieldsResolver } from './principals/principal.fields.resolver';
import { AuditResolver } from './audit/audit.resolver';
import { PrincipalAdminResolver } from './principals/principal-admin.resolver';
import './units/unit.node';
import './principals/principal.node';
import './audit/audit.node';
import { CampaignResolver } from './campaigns/campaign.resolver';
import { CampaignFieldsResolver } from './campaigns/campaign.fields.resolver';
import { QuotaResolver } from './quotas/quota.resolver';
import { UnitQuotaFieldsResolver, prefetchQuota, quotaDetail, unitQuota } from './quotas/unit-quota.fields.resolver';
import './campaigns/campaign.node';
import './quotas/quota.node';
import './metrics/metric.node';
import { ProgressResolver } from './progress/progress.resolver';
import { UnitProgressFieldsResolver, prefetchProgress, progressFigure } from './progress/unit-progress.fields.resolver';
import { usePrefetchers } from './units/unit-prefetch';
import { selectedFields } from './common/selected-fields';
import { UnitCampaignProgressFieldsResolver, prefetchCampaignProgress, unitCampaignProgress, type CampaignProgressArgs } from './progress/unit-campaign-progress.fields.resolver';
import { asksCompletion } from './progress/campaign-progress.selection';
import { CampaignRankingFieldsResolver } from './progress/campaign-ranking.fields.resolver';
import './progress/progress.node';
import { TeamResolver } from './teams/team.resolver';
import { TeamAssignmentFieldsResolver, TeamFieldsResolver } from './teams/team.fields.resolver';
import { UnitTeamFieldsResolver } from './teams/unit-team.fields.resolver';
import './teams/team.node';
import { RestructureResolver } from './units/restructure.resolver';
import { UnitLineageFieldsResolver } from './units/lineage.fields.resolver';
import { LiveResolver } from './live/live.resolver';

/** Every resolver class of the API; a feature adds its resolvers here. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const resolvers: NonEmptyArray<Function> = [
  NodeResolver, UnitResolver, UnitFieldsResolver, MetricResolver,
  SessionResolver, PrincipalResolver, PrincipalAdminResolver, PrincipalFieldsResolver, GrantFieldsResolver, AuditResolver,
  CampaignResolver, CampaignFieldsResolver, QuotaResolver, UnitQuotaFieldsResolver,
  ProgressResolver, UnitProgressFieldsResolver, UnitCampaignProgressFieldsResolver, CampaignRankingFieldsResolver,
  TeamResolver, TeamFieldsResolver, TeamAssignmentFieldsResolver, UnitTeamFieldsResolver,
  RestructureResolver, UnitLineageFieldsResolver,
  LiveResolver,
];

/**
 * Fields resolved once per unit of a list (hundreds in a drill-down) are called by graphql-js directly, not through
 * type-graphql's per-call machinery (a parameter list, argument classes, the middleware chain, one more promise):
 * the same functions their decorated resolvers call, with the arguments graphql-js has already coerced. Only for
 * fields with no @Authorized, middleware or validated input class; the decorated resolvers still define the schema.
 */
const LEAN_FIELDS: Record<string, Record<string, GraphQLFieldResolver<Unit, Context, never>>> = {
  Unit: {
    progress: (unit, args: { metric: string; asOf?: string | null }, ctx) => progressFigure(ctx, unit, args.metric, args.asOf ?? null),
    quota: (unit, args: { campaignId: string; metric: string }, ctx, info) => unitQuota(ctx, unit, args, quotaDetail(selectedFields(info))),
    campaignProgress: (unit, args: CampaignProgressArgs, ctx, info) => unitCampaignProgress(ctx, unit, args, asksCompletion(selectedFields(info))),
  },
};

/** The Unit fields a page of units loads ahead for all its units (units/unit-prefetch.ts). */
const UNIT_PREFETCH = { progress: prefetchProgress, quota: prefetchQuota, campaignProgress: prefetchCampaignProgress };

function useLeanResolvers(schema: GraphQLSchema): void {
  for (const [typeName, fields] of Object.entries(LEAN_FIELDS)) {
    const type = schema.getType(typeName);
    const defs = type instanceof GraphQLObjectType ? type.getFields() : {};
    for (const [name, resolve] of Object.entries(fields)) {
      if (!defs[name]) throw new Error(`LEAN_FIELDS: ${typeName}.${name} is not in the schema`);
      defs[name].resolve = resolve as GraphQLFieldResolver<unknown, unknown>;
    }
  }
}

/** Subscriptions bring their own event streams (src/live); type-graphql insists on a PubSub all the same. */
const NO_PUBSUB = {
  publish: () => undefined,
  subscribe: () => {
    throw new Error('topic-based subscriptions are not used');
  },
};

export async function createSchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers,
    authChecker,
    validate: false,
    scalarsMap: [
      { type: Date, scalar: DateTimeScalar },
    ],
    emitSchemaFile: false,
    pubSub: NO_PUBSUB,
  });
  useLeanResolvers(schema);
  usePrefetchers(UNIT_PREFETCH);
  // type-graphql has no option for the root types' descriptions; graphql-js reads them from the type objects.
  schema.getQueryType()!.description = 'Reads. Everything is limited to your jurisdiction: objects outside it answer null with a NOT_FOUND error, lists leave them out.';
  schema.getMutationType()!.description = 'Changes. Each takes one `input` and returns a payload with what changed; a refused change writes nothing.';
  schema.getSubscriptionType()!.description = 'Live updates, as Server-Sent Events at /graphql/stream (GraphQL over SSE, distinct connections): authenticate with the Authorization header.';
  return schema;
}

export function printSortedSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}

export { DateScalar };
