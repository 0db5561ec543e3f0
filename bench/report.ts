import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FloorResult } from './sql-floor';

export interface Goal {
  text: string;
  pass: boolean;
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
  goal?: Goal;
  extra?: Record<string, unknown>;
}

export interface BenchReport {
  startedAt: string;
  command: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; postgres: string; platform: string };
  settings: Record<string, unknown>;
  data: Record<string, unknown>;
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

const f = (n: number | undefined | null, digits = 0): string => (n === undefined || n === null || Number.isNaN(n) ? '—' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

/** The one table printed at the end. */
export function formatTable(r: BenchReport): string {
  const head = ['#', 'scenario', 'conc', 'rate', 'p50 ms', 'p90 ms', 'p99 ms', 'errors', 'SQL/req', 'max RSS MB', 'SQL floor p50 ms (rate)', 'API/SQL', 'goal'];
  const rows = r.scenarios.map((s) => {
    if (s.status !== 'ran') return [String(s.id), s.name, '', `${s.status}: ${s.note ?? ''}`, '', '', '', '', '', '', '', '', ''];
    return [
      String(s.id),
      s.name,
      f(s.connections),
      `${f(s.perSecond, s.perSecond !== undefined && s.perSecond < 100 ? 1 : 0)} ${s.unit ?? 'req/s'}`,
      f(s.p50, 1),
      f(s.p90, 1),
      f(s.p99, 1),
      f(s.errors),
      f(s.sqlStatements),
      f(s.maxRssMb),
      s.floor ? `${f(s.floor.p50, 2)} (${f(s.floor.perSecond)}/s)` : '',
      s.ratio !== undefined ? `${f(s.ratio, 1)}×` : '',
      s.goal ? `${s.goal.pass ? 'PASS' : 'MISS'} ${s.goal.text}` : '',
    ];
  });
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) => row.map((c, i) => (i === 1 || i === 3 && row[4] === '' || i === 12 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  out.push('', `memory: max RSS ${f(r.memory.maxRssMb)} MB — ${r.memory.goal.pass ? 'PASS' : 'MISS'} ${r.memory.goal.text}`);
  for (const s of r.scenarios) {
    if (s.errorSample) out.push(`scenario ${s.id} first error: ${s.errorSample}`);
    if (s.extra && Object.keys(s.extra).length) out.push(`scenario ${s.id}: ${JSON.stringify(s.extra)}`);
  }
  return out.join('\n');
}

export function writeJson(root: string, r: BenchReport): string {
  const dir = path.join(root, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${r.startedAt.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, JSON.stringify(r, null, 2) + '\n');
  return file;
}
