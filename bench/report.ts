import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatPeerComparison } from './peer-table';
import { f, renderTable, verdict } from './table';
import type { ContenderSummary } from './rounds';
import type { FloorResult, SequentialFloorResult } from './sql-floor';

export interface Goal {
  text: string;
  /** null: not measured in this run (e.g. a ratio to the peer with --no-peer). */
  pass: boolean | null;
}

/** One document of a scenario measured in alternating rounds (ours, or the peer's). */
export interface DocumentResult extends ContenderSummary {
  name: string;
  description?: string;
  system: 'peer' | 'ours';
  sqlStatements?: number | null;
  /** Loaded SQL floor (as ScenarioResult.floor) and the unloaded one (one connection, sequential). */
  floor?: FloorResult;
  floorUnloaded?: SequentialFloorResult;
  /** Our req/s ÷ the peer's req/s (medians over the rounds of the same run). */
  ratioToPeer?: number;
}

/** The PostGraphile peer of this run. */
export interface PeerInfo {
  status: 'ran' | 'skipped' | 'failed';
  note?: string;
  postgraphile?: string;
  node?: string;
  postgresql?: string;
  /** Units per level and row counts of the peer's seed. */
  data?: Record<string, unknown>;
  setupSeconds?: number;
}

export interface ScenarioResult {
  id: number;
  name: string;
  /** 'skipped' with `note` "not available: <field>" when the server lacks what the scenario needs. */
  status: 'ran' | 'skipped' | 'failed';
  note?: string;
  connections?: number;
  /** Requests (or rows, for the import) per second. */
  perSecond?: number;
  unit?: string;
  total?: number;
  p50?: number;
  p90?: number;
  p99?: number;
  errors?: number;
  errorSample?: string | null;
  sqlStatements?: number | null;
  maxRssMb?: number;
  floor?: FloorResult;
  /** API p50 latency ÷ SQL floor p50 latency. */
  ratio?: number;
  /** CPU ms of the production API process per request (/proc/<pid>/stat over the measured phase). */
  cpuMsPerRequest?: number | null;
  /** CPU ms of the embedded PostgreSQL (postmaster and children) per request over the measured phase. */
  dbCpuMsPerRequest?: number | null;
  /** Scenarios 1 and 2: alternating rounds with the peer; the figures above are medians over them. */
  rounds?: number;
  /** Wall time of the scenario (its rounds and floors); scenario 10: of the timed mutation. */
  seconds?: number;
  perSecondPerRound?: number[];
  /** Median over the rounds of the p50 of sequential requests on one connection. */
  unloadedP50?: number | null;
  floorUnloaded?: SequentialFloorResult;
  /** perSecond ÷ peer.perSecond. */
  ratioToPeer?: number;
  /** The peer's document of this scenario, measured in the same rounds. */
  peer?: DocumentResult;
  /** Our document with the peer's figure set (bench/figure-documents.ts), measured in the same rounds. */
  figures?: DocumentResult;
  /** The summary of `goals`. */
  goal?: Goal;
  goals?: Goal[];
  extra?: Record<string, unknown>;
}

export interface BenchReport {
  startedAt: string;
  command: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; postgres: string; platform: string };
  settings: Record<string, unknown>;
  data: Record<string, unknown>;
  peer: PeerInfo;
  scenarios: ScenarioResult[];
  memory: { maxRssMb: number; goal: Goal };
  setupSeconds: number;
  totalSeconds: number;
}

export const machineInfo = (postgres: string): BenchReport['machine'] => ({
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? 'unknown',
  memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
  node: process.version,
  postgres,
  platform: `${os.platform()} ${os.release()}`,
});

/** The table printed at the end (then, for scenarios 1 and 2, the comparison with the peer and its goals). */
export function formatTable(r: BenchReport): string {
  const head = ['#', 'scenario', 'conc', 'rate', 'p50 ms', 'p90 ms', 'p99 ms', 'errors', 'SQL/req', 'CPU ms/req', 'PG CPU ms/req', 'max RSS MB', 'SQL floor p50 ms (rate)', 'API/SQL', 'goal'];
  const rows = r.scenarios.map((s) => {
    if (s.status !== 'ran') return [String(s.id), s.name, '', '', '', '', '', '', '', '', '', '', '', '', `${s.status}: ${s.note ?? ''}`];
    return [
      String(s.id),
      s.name,
      f(s.connections),
      // A timed operation (scenario 10) shows its seconds instead of a rate.
      s.perSecond === undefined && s.seconds !== undefined ? `${f(s.seconds, 1)} s` : `${f(s.perSecond, s.perSecond !== undefined && s.perSecond < 100 ? 1 : 0)} ${s.unit ?? 'req/s'}`,
      f(s.p50, 1),
      f(s.p90, 1),
      f(s.p99, 1),
      f(s.errors),
      f(s.sqlStatements),
      f(s.cpuMsPerRequest, 2),
      f(s.dbCpuMsPerRequest, 2),
      f(s.maxRssMb),
      s.floor ? `${f(s.floor.p50, 2)} (${f(s.floor.perSecond)}/s)` : '',
      s.ratio !== undefined ? `${f(s.ratio, 1)}×` : '',
      s.goal ? `${verdict(s.goal)} ${s.goal.text}` : '',
    ];
  });
  const out = renderTable(head, rows, new Set([1, 14]));
  out.push('', `memory: max RSS ${f(r.memory.maxRssMb)} MB — ${verdict(r.memory.goal)} ${r.memory.goal.text}`);
  for (const s of r.scenarios) {
    if (s.errorSample) out.push(`scenario ${s.id} first error: ${s.errorSample}`);
    if (s.extra && Object.keys(s.extra).length) out.push(`scenario ${s.id}: ${JSON.stringify(s.extra)}`);
  }
  out.push('', ...formatPeerComparison(r));
  return out.join('\n');
}

export function writeJson(root: string, r: BenchReport): string {
  const dir = path.join(root, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${r.startedAt.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, JSON.stringify(r, null, 2) + '\n');
  return file;
}
