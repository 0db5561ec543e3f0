import { Client, Pool } from 'pg';

export interface FloorResult {
  /** Statements per second. */
  perSecond: number;
  total: number;
  p50: number;
  p90: number;
  p99: number;
  mean: number;
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/**
 * The SQL floor: the same numbers computed by one hand-written statement, run back to back by
 * `concurrency` callers over a pool the size of the API's (DB_POOL_MAX, default 10) for `seconds`,
 * after a one-second warm-up. Latency is per statement, measured at the client.
 */
export async function measureSqlFloor(url: string, sql: string, params: unknown[], opts: { seconds: number; concurrency: number; poolSize: number }): Promise<FloorResult> {
  const pool = new Pool({ connectionString: url, max: opts.poolSize });
  try {
    const loop = async (until: number, out: number[] | null) => {
      while (performance.now() < until) {
        const t = performance.now();
        await pool.query(sql, params);
        out?.push(performance.now() - t);
      }
    };
    const callers = (n: number, until: number, out: number[] | null) => Promise.all(Array.from({ length: n }, () => loop(until, out)));
    await callers(opts.concurrency, performance.now() + 1000, null);
    const latencies: number[] = [];
    const started = performance.now();
    await callers(opts.concurrency, started + opts.seconds * 1000, latencies);
    const elapsed = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      perSecond: latencies.length / elapsed,
      total: latencies.length,
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      mean: latencies.reduce((s, x) => s + x, 0) / Math.max(1, latencies.length),
    };
  } finally {
    await pool.end();
  }
}

export interface SequentialFloorResult {
  /** Milliseconds per statement on one connection, nothing else running through it. */
  median: number;
  min: number;
  p90: number;
  samples: number;
}

/**
 * The unloaded SQL floor: the floor statement on ONE connection, back to back (`warm` discarded, then `samples`
 * timed). This is what an unloaded API request (one connection, sequential requests) is compared with.
 */
export async function measureSqlFloorSequential(url: string, sql: string, params: unknown[], opts: { warm: number; samples: number } = { warm: 10, samples: 50 }): Promise<SequentialFloorResult> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    for (let i = 0; i < opts.warm; i++) await client.query(sql, params);
    const times: number[] = [];
    for (let i = 0; i < opts.samples; i++) {
      const t = performance.now();
      await client.query(sql, params);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return { median: percentile(times, 50), min: times[0] ?? 0, p90: percentile(times, 90), samples: times.length };
  } finally {
    await client.end();
  }
}
