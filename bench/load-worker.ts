/*
 * The load generator, run as its own process (forked by bench/load.ts) so it never shares a CPU
 * event loop with the API or the orchestrator. Receives a LoadSpec over IPC, runs autocannon for the
 * warm-up and then the measured duration, and sends back a LoadResult.
 */
import type { LoadResult, LoadSpec } from './load';

// autocannon ships no types; the part we use.
interface AcRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}
interface AcResult {
  requests: { average: number; total: number };
  latency: { p50: number; p90: number; p99: number; average: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  mismatches: number;
  duration: number;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<AcResult>;

async function run(spec: LoadSpec): Promise<LoadResult> {
  const url = new URL(spec.url);
  let counter = spec.counterStart ?? 0;
  let next = 0;
  let errorSample: string | null = null;
  const pick = (req: AcRequest): AcRequest => {
    const entry = spec.entries[next++ % spec.entries.length];
    const n = counter++;
    req.method = 'POST';
    req.path = url.pathname;
    req.headers = { 'content-type': 'application/json', ...(entry.token ? { authorization: `Bearer ${entry.token}` } : {}) };
    req.body = entry.body.includes('__N__') ? entry.body.replaceAll('__N__', String(n)) : entry.body;
    return req;
  };
  const options = (duration: number) => ({
    url: url.origin,
    connections: spec.connections,
    duration,
    timeout: 30,
    requests: [{ setupRequest: pick }],
    // GraphQL errors come back with HTTP 200: count them too (autocannon's "mismatches").
    verifyBody: (body: string) => {
      const ok = !body.includes('"errors":');
      if (!ok && errorSample === null) errorSample = body.slice(0, 400);
      return ok;
    },
  });
  if (spec.warmup > 0) {
    await autocannon(options(spec.warmup));
    // Let the server finish what the warm-up left in flight before measuring.
    await new Promise((r) => setTimeout(r, 1000));
  }
  errorSample = null;
  const r = await autocannon(options(spec.duration));
  return {
    requestsPerSecond: r.requests.total / r.duration,
    total: r.requests.total,
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    mean: r.latency.average,
    max: r.latency.max,
    errors: r.errors + r.timeouts + r.non2xx + r.mismatches,
    errorSample,
    nextCounter: counter,
  };
}

process.once('message', (spec: LoadSpec) => {
  run(spec).then(
    (result) => process.send!({ result }, undefined, {}, () => process.exit(0)),
    (e: unknown) => process.send!({ error: String((e as Error)?.stack ?? e) }, undefined, {}, () => process.exit(1)),
  );
});
