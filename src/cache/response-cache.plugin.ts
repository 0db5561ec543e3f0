import { HeaderMap, type ApolloServerPlugin, type GraphQLResponse } from '@apollo/server';
import type { Context } from '../context';
import { isCacheableDocument } from './cacheable';
import { responseCacheKey } from './cache-key';
import { settledFieldCount } from './version-marks';
import { bumpDataVersion } from './data-version.repo';
import { fragmentsOf, rootFieldNames } from '../auth/operation-gate.plugin';
import type { ResponseCache } from './response-cache';

/** Said only outside production: a hit would tell a caller that someone with the same grants asked the same. */
export function cacheHeaders(ctx: Pick<Context, 'config'>): [string, string][] {
  return ctx.config.env === 'production' ? [] : [['x-response-cache', 'hit']];
}

/** Mutations that change no data a cached answer can show (sessions and passwords only). */
const NO_SHARED_DATA = new Set(['login', 'refreshSession', 'logout', 'changeMyPassword']);

/**
 * Shares answers of dashboard queries between callers with the same jurisdiction (see cacheable.ts for which
 * documents qualify) and advances the data version after every mutation. The key is the document, the operation,
 * the variables, the caller's grants and today's date (the default `asOf`); never the principal.
 */
export function responseCachePlugin(cache: ResponseCache | null): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      let key: string | null = null;
      let readVersion = '';
      let hit = false;
      return {
        async responseForOperation({ contextValue: ctx, operation, document, schema, request, source }): Promise<GraphQLResponse | null> {
          if (!cache || !ctx.principal) return null;
          const shareable = operation.operation === 'query' && isCacheableDocument(schema, document);
          cache.rememberShareable(source, shareable);
          if (!shareable) return null;
          key = responseCacheKey(source, request.operationName, request.variables, ctx.principal);
          readVersion = ctx.principal.dataVersion;
          const json = cache.get(key, readVersion);
          if (!json) return null;
          // POSTs are answered before Apollo (cached-answer.ts); this is the path of GETs (ETag) and the like.
          hit = true;
          const headers = new HeaderMap(cacheHeaders(ctx));
          return { http: { status: undefined, headers }, body: { kind: 'single', singleResult: { data: JSON.parse(json.toString()) as Record<string, unknown> } } };
        },
        async willSendResponse({ response, operation, document, contextValue: ctx }) {
          if (operation?.operation === 'mutation') {
            const roots = rootFieldNames(operation, fragmentsOf(document));
            const onlyPrivate = roots.every((name) => NO_SHARED_DATA.has(name));
            const allSettled = settledFieldCount(ctx) >= roots.length;
            if (!onlyPrivate && !allSettled) await bumpDataVersion(ctx.em).catch((err: unknown) => ctx.log.error({ err }, 'data version not advanced'));
            return;
          }
          if (!cache || !key || hit || response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          if (data && !errors?.length) cache.set(key, readVersion, data);
        },
      };
    },
  };
}
