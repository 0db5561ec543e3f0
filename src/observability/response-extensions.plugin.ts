import type { ApolloServerPlugin } from '@apollo/server';
import type { Config } from '../config';
import type { Context } from '../context';
import { requestScope } from '../db/request-scope';

/** The request header that asks for `extensions.sqlStatements` (development and test only). */
export const SQL_STATEMENTS_HEADER = 'x-debug-sql';

/**
 * Adds `extensions.requestId` to every response, and `extensions.sqlStatements` (statements the request ran,
 * for the statement-count tests and the bench probe) only when the request asks with `x-debug-sql: 1` outside
 * production. Never in production: it tells a caller how much work its query caused.
 */
export function responseExtensionsPlugin(config: Pick<Config, 'env'>): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, request }) {
          const scope = requestScope.getStore();
          if (response.body?.kind !== 'single' || !scope) return;
          const asked = config.env !== 'production' && request.http?.headers.get(SQL_STATEMENTS_HEADER) === '1';
          response.body.singleResult.extensions = {
            ...response.body.singleResult.extensions,
            requestId: scope.requestId,
            ...(asked ? { sqlStatements: scope.sqlStatements } : {}),
          };
        },
      };
    },
  };
}
