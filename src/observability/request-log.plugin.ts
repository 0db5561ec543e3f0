import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from 'pino';
import type { Context } from '../context';
import type { AppMetrics } from './metrics';
import { operationLabeler } from './operation-names';

/** Records one finished operation: metrics, and a log line on the request's logger (read only when the line is logged). */
export type OperationRecorder = (ctx: { readonly log: Logger } | undefined, operationName: string | null | undefined, type: string, seconds: number, codes: string[]) => void;

/**
 * One structured log line and metrics per GraphQL operation: request id, principal, operation name
 * and type, duration, error codes. Variables are never logged (they may hold passwords or keys).
 * Metric labels take the operation name only from a bounded set (operation-names.ts); the log line keeps it.
 */
export function operationRecorder(metrics: AppMetrics, knownOperationNames: readonly string[] = [], log?: Logger): OperationRecorder {
  const label = operationLabeler(knownOperationNames);
  return (ctx, operationName, type, seconds, codes) => {
    metrics.operations.inc({ operation: label(operationName), type });
    metrics.duration.observe({ operation: label(operationName) }, seconds);
    for (const code of codes) metrics.errors.inc({ code });
    // The request's logger has the level of `log`: below it, the line is not built (nor the request's child logger).
    if (log && !log.isLevelEnabled('info')) return;
    ctx?.log.info(
      { operationName: operationName ?? 'anonymous', operationType: type, durationMs: Math.round(seconds * 1000), errorCodes: codes.length ? codes : undefined },
      'graphql operation',
    );
  };
}

/** The recorder as an Apollo plugin: every operation Apollo answers. */
export function requestLogPlugin(record: OperationRecorder): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operationName, operation, errors, contextValue: ctx }) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const codes = (errors ?? []).map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
          record(ctx ?? contextValue, operationName, operation?.operation ?? 'unknown', seconds, codes);
        },
      };
    },
  };
}
