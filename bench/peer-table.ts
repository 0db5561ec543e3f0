import type { BenchReport, DocumentResult, ScenarioResult } from './report';
import { f, ratio, renderTable, verdict } from './table';

/** Scenarios 1 and 2 beside the PostGraphile peer: one row per document, then each scenario's goals. */
export function formatPeerComparison(r: BenchReport): string[] {
  const dashboards = r.scenarios.filter((s) => s.status === 'ran' && s.rounds !== undefined);
  if (dashboards.length === 0) return [];
  const st = r.settings;
  const peer = r.peer;
  const out = [
    peer.status === 'ran'
      ? `Dashboards beside PostGraphile ${peer.postgraphile} (Node ${peer.node}, PostgreSQL ${peer.postgresql}) on the same data size, in the same run:`
      : `Dashboards (peer ${peer.status}: ${peer.note ?? ''}):`,
    `${st.rounds} round${st.rounds === 1 ? '' : 's'} alternating, ${st.connections} connections, ${st.warmup} s warm-up + ${st.roundDuration} s per run, medians over the rounds; ` +
      `1-conn p50 = ${st.sequential} sequential requests on one connection; ×peer = our req/s ÷ the peer's; SQL floor req/s at ${st.connections} callers over ${st.apiDbPool} connections.`,
  ];
  const row = (s: ScenarioResult, d: DocumentResult): string[] => [
    String(s.id),
    d.name,
    d.system,
    f(d.perSecond, 1),
    ratio(d.ratioToPeer),
    f(d.p50, 1),
    f(d.p99, 1),
    f(d.unloadedP50, 2),
    f(d.floorUnloaded?.median, 2),
    f(d.floor?.perSecond),
    f(d.cpuMsPerRequest, 2),
    f(d.maxRssMb),
    f(d.errors),
  ];
  const rows: string[][] = [];
  for (const s of dashboards) for (const d of documentsOf(s)) rows.push(row(s, d));
  out.push(...renderTable(['#', 'document', 'system', 'req/s', '×peer', 'p50 ms', 'p99 ms', '1-conn p50 ms', '1-conn SQL floor ms', 'SQL floor req/s', 'CPU ms/req', 'max RSS MB', 'errors'], rows, new Set([1, 2])));
  for (const s of dashboards) {
    out.push(`goals of scenario ${s.id} (${s.name}, ${s.seconds ?? '?'} s): ${s.goal ? `${verdict(s.goal)}, ${s.goal.text}` : ''}`);
    for (const g of s.goals ?? []) out.push(`  ${verdict(g).padEnd(4)} ${g.text}`);
  }
  return out;
}

/** The peer's document, ours with its figure set, and the scenario's own (richer) document, in that order. */
export function documentsOf(s: ScenarioResult): DocumentResult[] {
  const own: DocumentResult = {
    name: s.name, system: 'ours', perSecond: s.perSecond ?? NaN, perSecondPerRound: s.perSecondPerRound ?? [], total: s.total ?? 0,
    p50: s.p50 ?? NaN, p90: s.p90 ?? NaN, p99: s.p99 ?? NaN, errors: s.errors ?? 0, errorSample: s.errorSample ?? null,
    unloadedP50: s.unloadedP50 ?? null, unloadedP50PerRound: [], cpuMsPerRequest: s.cpuMsPerRequest ?? null, maxRssMb: s.maxRssMb ?? 0,
    sqlStatements: s.sqlStatements, floor: s.floor, floorUnloaded: s.floorUnloaded, ratioToPeer: s.ratioToPeer,
  };
  return [...(s.peer ? [s.peer] : []), ...(s.figures ? [s.figures] : []), own];
}
