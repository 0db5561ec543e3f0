import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from 'pino';
import type { Context } from '../context';
import type { AppMetrics } from './metrics';
import { operationLabeler } from './operation-names';

/**
 * One structured log line and metrics per GraphQL operation: request id, principal, operation name
 * and type, duration, error codes. Variables are never logged (they may hold passwords or keys).
 * Metric labels take the operation name only from a bounded set (operation-names.ts); the log line keeps it.
 */
export function requestLogPlugin(log: Logger, metrics: AppMetrics, knownOperationNames: readonly string[] = []): ApolloServerPlugin<Context> {
  const label = operationLabeler(knownOperationNames);
  return {
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operationName, operation, errors, contextValue: ctx }) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const name = operationName ?? 'anonymous';
          const type = operation?.operation ?? 'unknown';
          const codes = (errors ?? []).map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
          metrics.operations.inc({ operation: label(operationName), type });
          metrics.duration.observe({ operation: label(operationName) }, seconds);
          for (const code of codes) metrics.errors.inc({ code });
          (ctx ?? contextValue).log?.info(
            { operationName: name, operationType: type, durationMs: Math.round(seconds * 1000), errorCodes: codes.length ? codes : undefined },
            'graphql operation',
          );
          void log;
        },
      };
    },
  };
}
