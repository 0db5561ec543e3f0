import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { legacyJsonStatusPlugin } from '../common/json-status.plugin';
import type { Logger } from 'pino';
import type { GraphQLSchema } from 'graphql';
import type { Config } from '../config';
import type { Context } from '../context';
import { requestLogPlugin, type OperationRecorder } from '../observability/request-log.plugin';
import { aliasLimit, boundedStringify, costLimitPlugin, depthLimit, noSubscriptions } from '../common/query-limits';
import { responseExtensionsPlugin } from '../observability/response-extensions.plugin';
import { formatError, unavailableStatusPlugin } from '../common/format-error';
import { operationGatePlugin } from '../auth/operation-gate.plugin';
import { responseCachePlugin } from '../cache/response-cache.plugin';
import type { ResponseCache } from '../cache/response-cache';

/** The Apollo server behind /graphql: limits, error masking, shared answers, per-operation log and metrics. */
export async function createApollo(
  schema: GraphQLSchema,
  config: Config,
  log: Logger,
  deps: { record: OperationRecorder; responseCache: ResponseCache | null },
): Promise<ApolloServer<Context>> {
  const { record, responseCache } = deps;
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
      // Apollo's landing page loads Sandbox from a CDN; browsers get our own IDE (src/ide) or nothing.
      ApolloServerPluginLandingPageDisabled(),
      operationGatePlugin(),
      legacyJsonStatusPlugin(),
      costLimitPlugin(schema, config.limits.maxCost),
      unavailableStatusPlugin(config.db.retryAfterSeconds),
      responseCachePlugin(responseCache),
      requestLogPlugin(record),
      responseExtensionsPlugin(config),
    ],
  });
  await apollo.start();
  return apollo;
}
