import type { ApolloServerPlugin } from '@apollo/server';
import type { Config } from '../config';
import type { Context } from '../context';
import { currentStatementCount } from '../db/request-scope';

/** The request header that asks for `extensions.sqlStatements` (development and test only). */
export const SQL_STATEMENTS_HEADER = 'x-debug-sql';

/** `extensions` of an answer: the request id, and the statement count when asked for outside production. */
export function responseExtensions(config: Pick<Config, 'env'>, requestId: string, sqlHeader: string | string[] | undefined): Record<string, unknown> {
  const scope = currentStatementCount();
  const asked = config.env !== 'production' && scope !== undefined && sqlHeader === '1';
  return asked ? { requestId, sqlStatements: scope.sqlStatements } : { requestId };
}

/**
 * Adds `extensions.requestId` to every response (and to every error), and `extensions.sqlStatements` (statements
 * the request ran, for the statement-count tests and the bench probe) only when the request asks with
 * `x-debug-sql: 1` outside production. Never in production: it tells a caller how much work its query caused
 * (and production runs without the AsyncLocalStorage that counts them).
 */
export function responseExtensionsPlugin(config: Pick<Config, 'env'>): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          // Without AsyncLocalStorage (production) formatError learns the request id from the error itself.
          for (const e of errors ?? []) if (e.extensions && !Object.isFrozen(e.extensions)) (e.extensions as Record<string, unknown>).requestId = contextValue.requestId;
        },
        async willSendResponse({ response, request, contextValue }) {
          if (response.body?.kind !== 'single') return;
          response.body.singleResult.extensions = {
            ...response.body.singleResult.extensions,
            ...responseExtensions(config, contextValue.requestId, request.http?.headers.get(SQL_STATEMENTS_HEADER)),
          };
          const result = response.body.singleResult;
          if (result.errors) result.errors = result.errors.map((e) => ({ ...e, extensions: { ...e.extensions, requestId: e.extensions?.requestId ?? contextValue.requestId } }));
        },
      };
    },
  };
}
