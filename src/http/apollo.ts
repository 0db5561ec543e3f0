import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import type { Logger } from 'pino';
import type { GraphQLSchema } from 'graphql';
import type { Config } from '../config';
import type { Context } from '../context';
import type { AppMetrics } from '../observability/metrics';
import { requestLogPlugin } from '../observability/request-log.plugin';
import { aliasLimit, boundedStringify, costLimitPlugin, depthLimit, noSubscriptions } from '../common/query-limits';
import { currentStatementCount } from '../db/request-scope';
import { formatError, unavailableStatusPlugin } from '../common/format-error';
import { operationGatePlugin } from '../auth/operation-gate.plugin';
import { responseCachePlugin } from '../cache/response-cache.plugin';
import { ResponseCache } from '../cache/response-cache';
import type { DataVersion } from '../cache/data-version.repo';

/** The Apollo server behind /graphql: limits, error masking, per-operation log and metrics. */
export async function createApollo(schema: GraphQLSchema, config: Config, log: Logger, metrics: AppMetrics, dataVersion: DataVersion): Promise<ApolloServer<Context>> {
  const responseCache = config.responseCache.maxBytes > 0 ? new ResponseCache(config.responseCache.maxBytes, config.responseCache.ttlSeconds) : null;
  const apollo = new ApolloServer<Context>({
    schema,
    validationRules: [noSubscriptions, depthLimit(config.limits.maxDepth), aliasLimit(config.limits.maxAliases)],
    parseOptions: { maxTokens: config.limits.maxTokens },
    introspection: config.introspection,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: !config.introspection,
    csrfPrevention: true,
    // main.ts owns SIGINT/SIGTERM and drains requests before the database stops.
    stopOnTerminationSignals: false,
    formatError: formatError(log, config.db.retryAfterSeconds),
    stringifyResult: boundedStringify(config.limits.maxResponseBytes),
    plugins: [
      // No cache hints are used; without this plugin Apollo walks every resolved field to compute them.
      ApolloServerPluginCacheControlDisabled(),
      operationGatePlugin(),
      costLimitPlugin(schema, config.limits.maxCost),
      unavailableStatusPlugin(config.db.retryAfterSeconds),
      responseCachePlugin(responseCache, dataVersion),
      requestLogPlugin(log, metrics),
      requestIdPlugin(config),
    ],
  });
  await apollo.start();
  return apollo;
}

/**
 * Puts the request id on the response and on every error, and in development
 * and tests reports how many SQL statements the request ran.
 */
function requestIdPlugin(config: Config): ApolloServerPlugin<Context> {
  const countStatements = config.env !== 'production';
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ contextValue: ctx, errors }) {
          // formatError (which logs) learns the request id from the error itself.
          for (const e of errors) if (e.extensions && !Object.isFrozen(e.extensions)) (e.extensions as Record<string, unknown>).requestId = ctx.requestId;
        },
        async willSendResponse({ contextValue: ctx, response }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const counter = countStatements ? currentStatementCount() : undefined;
          result.extensions = { ...result.extensions, requestId: ctx.requestId, ...(counter ? { sqlStatements: counter.sqlStatements } : {}) };
          if (result.errors) result.errors = result.errors.map((e) => ({ ...e, extensions: { ...e.extensions, requestId: e.extensions?.requestId ?? ctx.requestId } }));
        },
      };
    },
  };
}
