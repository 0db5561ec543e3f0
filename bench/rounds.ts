import type { RssWatch } from './api-server';
import { runLoad, type LoadEntry, type LoadResult } from './load';

/** One system answering one document, measured in alternating rounds against the others of its scenario. */
export interface Contender {
  key: string;
  system: 'peer' | 'ours';
  url: string;
  entries: LoadEntry[];
  /** The server process: CPU per request from /proc/<pid>/stat, RSS sampled every 200 ms. */
  serverPid: number;
  rss: Pick<RssWatch, 'maxRssMb' | 'resetRss'>;
}

export interface RoundSettings {
  rounds: number;
  connections: number;
  duration: number;
  warmup: number;
  /** Sequential requests on one connection per contender and round (unloaded latency); 0 skips them. */
  sequential: number;
}

/** Medians over the rounds (max for RSS, sums for errors). Latencies in ms. */
export interface ContenderSummary {
  perSecond: number;
  perSecondPerRound: number[];
  total: number;
  p50: number;
  p90: number;
  p99: number;
  errors: number;
  errorSample: string | null;
  /** Median over the rounds of the p50 of `sequential` requests on one connection. */
  unloadedP50: number | null;
  unloadedP50PerRound: number[];
  /** CPU ms of the server process per request under load. */
  cpuMsPerRequest: number | null;
  maxRssMb: number;
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Runs every contender in turn within each round, the order mirrored every other round (so neither side always
 * follows the other's load): first the loaded runs (same connections, warm-up and duration for all), then
 * `sequential` requests on one connection each. Only one contender is under load at any time.
 */
export async function alternate(contenders: Contender[], s: RoundSettings, log: (m: string) => void): Promise<Map<string, ContenderSummary>> {
  const loads = new Map<string, { result: LoadResult; rss: number }[]>(contenders.map((c) => [c.key, []]));
  const unloaded = new Map<string, LoadResult[]>(contenders.map((c) => [c.key, []]));
  for (let round = 1; round <= s.rounds; round++) {
    const order = round % 2 ? contenders : [...contenders].reverse();
    for (const c of order) {
      c.rss.resetRss();
      const result = await runLoad({ url: c.url, connections: s.connections, duration: s.duration, warmup: s.warmup, entries: c.entries, serverPid: c.serverPid });
      const rss = c.rss.maxRssMb();
      loads.get(c.key)!.push({ result, rss });
      log(`  round ${round} ${c.key}: ${result.requestsPerSecond.toFixed(1)} req/s${result.total === 0 ? ' (no response completed within the run)' : ''}, p50 ${result.p50.toFixed(1)} p99 ${result.p99.toFixed(1)} ms, ` +
        `CPU ${result.cpuMsPerRequest?.toFixed(2) ?? '?'} ms/req, RSS ${Math.round(rss)} MB, errors ${result.errors}`);
    }
    if (s.sequential <= 0) continue;
    for (const c of order) {
      const result = await runLoad({ url: c.url, connections: 1, duration: 0, warmup: 0, amount: s.sequential, warmupAmount: 10, entries: c.entries, serverPid: c.serverPid });
      unloaded.get(c.key)!.push(result);
      log(`  round ${round} ${c.key}: ${s.sequential} sequential requests, p50 ${result.p50.toFixed(2)} ms, errors ${result.errors}`);
    }
  }
  // A run in which no response completed (every request slower than the run) has no latency sample: its
  // latencies are unknown but longer than the run, so they count as Infinity (null in the JSON), never as 0.
  const lat = (r: LoadResult, p: 'p50' | 'p90' | 'p99') => (r.total > 0 ? r[p] : Infinity);
  const out = new Map<string, ContenderSummary>();
  for (const c of contenders) {
    const L = loads.get(c.key)!;
    const U = unloaded.get(c.key)!;
    const cpu = L.map((l) => l.result.cpuMsPerRequest).filter((x): x is number => x !== null);
    out.set(c.key, {
      perSecond: median(L.map((l) => l.result.requestsPerSecond)),
      perSecondPerRound: L.map((l) => l.result.requestsPerSecond),
      total: L.reduce((n, l) => n + l.result.total, 0),
      p50: median(L.map((l) => lat(l.result, 'p50'))),
      p90: median(L.map((l) => lat(l.result, 'p90'))),
      p99: median(L.map((l) => lat(l.result, 'p99'))),
      errors: [...L.map((l) => l.result), ...U].reduce((n, r) => n + r.errors, 0),
      errorSample: [...L.map((l) => l.result), ...U].find((r) => r.errorSample)?.errorSample ?? null,
      unloadedP50: U.length ? median(U.map((u) => lat(u, 'p50'))) : null,
      unloadedP50PerRound: U.map((u) => lat(u, 'p50')),
      cpuMsPerRequest: cpu.length ? median(cpu) : null,
      maxRssMb: Math.max(0, ...L.map((l) => l.rss)),
    });
  }
  return out;
}
