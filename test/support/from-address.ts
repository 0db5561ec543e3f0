import http from 'node:http';
import type { TestApp } from './app';
import type { GqlResult } from './client';

/**
 * Posts a GraphQL operation from another loopback address (127.0.0.0/8 all reach the server on Linux), so tests
 * can tell clients apart by address the way the server does.
 */
export function gqlFrom<T = any>(t: TestApp, localAddress: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<GqlResult<T>> {
  const body = JSON.stringify({ query, variables });
  const url = new URL(t.url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname, port: url.port, path: url.pathname, method: 'POST', localAddress,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ...JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
