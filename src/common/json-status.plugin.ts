import type { ApolloServerPlugin } from '@apollo/server';

/** Errors about the document or its variables: the request itself was well-formed GraphQL over HTTP. */
const REQUEST_ERRORS = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT']);

/**
 * GraphQL over HTTP: a client that asks for `application/json` only (the legacy media type) gets 200 for a
 * well-formed request whose document does not parse or validate or whose variables do not coerce, with the
 * errors in the body; 4xx stays for clients that accept `application/graphql-response+json`, which expect it.
 */
export function legacyJsonStatusPlugin<T extends object>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart({ request }) {
      const accept = request.http?.headers.get('accept') ?? '';
      // Only clients that ask for application/json by name; without an Accept header the error keeps its 4xx.
      if (!accept.includes('application/json') || accept.includes('application/graphql-response+json')) return {};
      return {
        async willSendResponse({ response }) {
          if (response.http.status !== 400 || response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          // Refusals by server policy (a limit, an unsupported operation type) keep their 400.
          const documentFault = (e: { extensions?: Record<string, unknown> }) => REQUEST_ERRORS.has(String(e.extensions?.code)) && !e.extensions?.limit && !e.extensions?.unsupported;
          if (data === undefined && errors?.length && errors.every(documentFault)) response.http.status = 200;
        },
      };
    },
  };
}
