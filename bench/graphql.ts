/** A tiny GraphQL client for setup and probes (the load itself goes through autocannon). */
export interface GqlResponse<T = Record<string, unknown>> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
  extensions?: { sqlStatements?: number };
}

export async function gql<T = Record<string, unknown>>(url: string, body: string, token?: string | null, attempt = 1): Promise<GqlResponse<T>> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      // x-debug-sql: the development-mode probe reports extensions.sqlStatements only when asked.
      headers: { 'content-type': 'application/json', 'x-debug-sql': '1', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body,
    });
  } catch (e) {
    // A kept-alive socket the server just closed: retry on a new one (at most twice).
    if (attempt < 3) return gql<T>(url, body, token, attempt + 1);
    throw e;
  }
  return (await res.json()) as GqlResponse<T>;
}

/** Every `Type.field` of the server's schema (introspection; the development-mode probe server allows it). */
export async function schemaFields(url: string): Promise<Set<string>> {
  const r = await gql<{ __schema: { types: { name: string; fields: { name: string }[] | null; inputFields: { name: string }[] | null }[] } }>(
    url,
    JSON.stringify({ query: '{ __schema { types { name fields { name } inputFields { name } } } }' }),
  );
  if (!r.data) throw new Error(`introspection failed: ${JSON.stringify(r.errors)}`);
  const out = new Set<string>();
  for (const t of r.data.__schema.types) for (const f of [...(t.fields ?? []), ...(t.inputFields ?? [])]) out.add(`${t.name}.${f.name}`);
  return out;
}

/** Signs in through the real `login` mutation, `concurrency` at a time; returns tokens in input order. */
export async function loginAll(url: string, usernames: string[], password: string, concurrency = 8): Promise<string[]> {
  const tokens: string[] = new Array(usernames.length);
  let next = 0;
  const worker = async () => {
    while (next < usernames.length) {
      const i = next++;
      const r = await gql<{ login: { accessToken: string } }>(url, loginBody(usernames[i], password));
      if (!r.data?.login) throw new Error(`login of ${usernames[i]} failed: ${JSON.stringify(r.errors)}`);
      tokens[i] = r.data.login.accessToken;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return tokens;
}

export const loginBody = (username: string, password: string): string =>
  JSON.stringify({
    query: 'mutation Login($input: LoginInput!) { login(input: $input) { accessToken expiresAt } }',
    variables: { input: { username, password } },
  });
