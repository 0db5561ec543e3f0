/*
 * The load generator, run as its own process (forked by bench/load.ts) so it never shares a CPU
 * event loop with the API or the orchestrator. Receives a LoadSpec over IPC, runs autocannon for the
 * warm-up and then the measured phase (a duration, or a number of requests), and sends back a LoadResult.
 */
import fs from 'node:fs';
import type { LoadResult, LoadSpec } from './load';
import { CLK_TCK, cpuTicks, statFields } from './proc-cpu';

// autocannon ships no types; the part we use.
interface AcRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}
interface AcResult {
  requests: { average: number; total: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  mismatches: number;
  duration: number;
}
interface AcInstance extends PromiseLike<AcResult> {
  on(event: 'response', listener: (client: unknown, statusCode: number, bytes: number, responseTimeMs: number) => void): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => AcInstance;

/**
 * CPU of a process tree one level deep (PostgreSQL: the postmaster and every backend), in ticks: utime + stime of the
 * process and of its live children, plus cutime + cstime of the process (its reaped children's), so that a backend
 * ending meanwhile (an idle connection of the bench's own pool, an autovacuum worker) keeps counting what it used.
 */
function treeTicks(pid: number): number {
  let ticks = 0;
  try {
    const fields = statFields(pid);
    ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  } catch {
    return 0;
  }
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const fields = statFields(name);
      if (Number(fields[1]) === pid) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone meanwhile
    }
  }
  return ticks;
}

const percentile = (sorted: Float64Array, p: number): number =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] : 0;

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
  const phase = (length: { duration: number } | { amount: number }, latencies: number[] | null): AcInstance => {
    const inst = autocannon({
      url: url.origin,
      connections: spec.connections,
      ...length,
      timeout: 30,
      requests: [{ setupRequest: pick }],
      // GraphQL errors come back with HTTP 200: count them too (autocannon's "mismatches").
      verifyBody: (body: string) => {
        const ok = !body.includes('"errors":');
        if (!ok && errorSample === null) errorSample = body.slice(0, 400);
        return ok;
      },
    });
    // autocannon's own histogram keeps whole milliseconds; unloaded latencies are a few ms, so keep the exact ones.
    if (latencies) inst.on('response', (_client, status, _bytes, ms) => status >= 200 && status < 300 && latencies.push(ms));
    return inst;
  };
  if (spec.amount) {
    if (spec.warmupAmount) await phase({ amount: spec.warmupAmount }, null);
  } else if (spec.warmup > 0) {
    await phase({ duration: spec.warmup }, null);
    // Let the server finish what the warm-up left in flight before measuring.
    await new Promise((r) => setTimeout(r, 1000));
  }
  errorSample = null;
  const latencies: number[] = [];
  const dbBefore = spec.dbPid ? treeTicks(spec.dbPid) : 0;
  const cpuBefore = spec.serverPid ? cpuTicks(spec.serverPid) : 0;
  const r = await phase(spec.amount ? { amount: spec.amount } : { duration: spec.duration }, latencies);
  const cpuAfter = spec.serverPid ? cpuTicks(spec.serverPid) : 0;
  const dbAfter = spec.dbPid ? treeTicks(spec.dbPid) : 0;
  const sorted = Float64Array.from(latencies).sort();
  const total = r.requests.total;
  return {
    requestsPerSecond: total / r.duration,
    total,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    mean: sorted.reduce((s, x) => s + x, 0) / Math.max(1, sorted.length),
    max: sorted.length ? sorted[sorted.length - 1] : 0,
    errors: r.errors + r.timeouts + r.non2xx + r.mismatches,
    errorSample,
    nextCounter: counter,
    cpuMsPerRequest: spec.serverPid && total > 0 ? (((cpuAfter - cpuBefore) / CLK_TCK) * 1000) / total : null,
    dbCpuMsPerRequest: spec.dbPid && total > 0 ? (((dbAfter - dbBefore) / CLK_TCK) * 1000) / total : null,
  };
}

process.once('message', (spec: LoadSpec) => {
  run(spec).then(
    (result) => process.send!({ result }, undefined, {}, () => process.exit(0)),
    (e: unknown) => process.send!({ error: String((e as Error)?.stack ?? e) }, undefined, {}, () => process.exit(1)),
  );
});
