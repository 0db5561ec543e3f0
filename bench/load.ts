import { fork } from 'node:child_process';
import path from 'node:path';

/** One request shape: a GraphQL body (with `__N__` replaced by a running counter) and the bearer token. */
export interface LoadEntry {
  token: string | null;
  body: string;
}

export interface LoadSpec {
  url: string;
  connections: number;
  /** Seconds measured, after `warmup` seconds not measured. */
  duration: number;
  warmup: number;
  /** Instead of a duration: exactly this many requests (with connections 1: sequential, the unloaded latency). */
  amount?: number;
  /** Requests sent (and discarded) before `amount`. */
  warmupAmount?: number;
  /** Sent in turn, round robin over every connection. */
  entries: LoadEntry[];
  counterStart?: number;
  /** The server's process: its CPU time (/proc/<pid>/stat) over the measured phase is divided by the requests. */
  serverPid?: number;
  /** The database's postmaster: the CPU time of it and its children (backends, WAL writer, …) is divided likewise. */
  dbPid?: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  total: number;
  /** Milliseconds, exact per response (not autocannon's integer histogram). */
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  max: number;
  /** Transport errors, timeouts, non-2xx answers and GraphQL errors. */
  errors: number;
  errorSample: string | null;
  nextCounter: number;
  /** CPU milliseconds (user + system) of `serverPid` per request over the measured phase; null without a pid. */
  cpuMsPerRequest: number | null;
  /** CPU milliseconds of PostgreSQL (`dbPid` and its children alive at the end) per request; null without a pid. */
  dbCpuMsPerRequest: number | null;
}

export const gqlBody = (query: string, variables: Record<string, unknown> = {}): string => JSON.stringify({ query, variables });

/** Runs autocannon in a separate process (bench/load-worker.js), so the load is not generated in this one. */
export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'load-worker.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let settled = false;
    child.once('message', (m: { result?: LoadResult; error?: string }) => {
      settled = true;
      if (m.result) resolve(m.result);
      else reject(new Error(`load generator failed: ${m.error}`));
    });
    child.once('exit', (code) => {
      if (!settled) reject(new Error(`load generator exited with code ${code}`));
    });
    child.send(spec);
  });
}
