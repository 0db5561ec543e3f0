import type { TestApp } from './app';

export interface GqlResult<T = any> {
  status: number;
  data: T;
  errors?: { message: string; path?: (string | number)[]; extensions: Record<string, any> }[];
  extensions?: { requestId?: string; sqlStatements?: number };
}

/** Posts a GraphQL operation over HTTP, as a client would. */
export async function gql<T = any>(t: TestApp, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<GqlResult<T>> {
  const res = await fetch(t.url, {
    method: 'POST',
    // x-debug-sql: the statement count in extensions.sqlStatements (development and test servers only).
    headers: { 'content-type': 'application/json', 'x-debug-sql': '1', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as Omit<GqlResult<T>, 'status'>;
  return { status: res.status, ...body };
}

/** The error code of the first error, or undefined when the call succeeded. */
export const codeOf = (r: GqlResult): string | undefined => r.errors?.[0]?.extensions?.code;

/** Returns data, failing the test with the server's errors when there were any. */
export function ok<T>(r: GqlResult<T>): T {
  if (r.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors, null, 2)}`);
  return r.data;
}
