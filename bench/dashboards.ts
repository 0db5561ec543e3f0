import { watchRss, type ApiServer } from './api-server';
import type { BenchArgs } from './args';
import type { FigureDocument } from './figure-documents';
import { dashboardGoals } from './goals';
import type { LoadEntry } from './load';
import type { Peer } from './peer/peer';
import type { ReadScenario } from './read-scenarios';
import type { DocumentResult, ScenarioResult } from './report';
import { alternate, type Contender, type ContenderSummary } from './rounds';
import { measureSqlFloor, measureSqlFloorSequential } from './sql-floor';

export interface DashboardRun {
  args: BenchArgs;
  dbUrl: string;
  api: ApiServer;
  /** null: no peer in this run (--no-peer, harness absent or failed to start). */
  peer: Peer | null;
  apiDbPool: number;
  /** SQL statements of one request, from the development-mode probe. */
  sqlCount(entry: LoadEntry): Promise<number | null>;
  log(m: string): void;
}

/**
 * Scenario 1 or 2 with the peer: the peer's document, ours with the peer's figure set and the scenario's own
 * richer document, in alternating rounds; then the SQL floors of our two documents (loaded and unloaded).
 */
export async function measureDashboard(s: ReadScenario & { id: 1 | 2 }, figures: FigureDocument | null, run: DashboardRun): Promise<ScenarioResult> {
  const { args, api, peer } = run;
  const started = performance.now();
  const ours = (key: string, entries: LoadEntry[]): Contender => ({ key, system: 'ours', url: api.url, entries, serverPid: api.pid, rss: api });
  const peerRss = peer ? watchRss(peer.serverPid) : null;
  const peerDoc = peer ? (s.id === 1 ? peer.s1 : peer.s2) : null;
  const contenders: Contender[] = [
    ...(peer && peerDoc && peerRss ? [{ key: 'peer', system: 'peer' as const, url: peer.url, entries: [{ token: peerDoc.token, body: peerDoc.body }], serverPid: peer.serverPid, rss: peerRss }] : []),
    ...(figures ? [ours('figures', figures.entries)] : []),
    ours('own', s.entries),
  ];
  const ownStatements = await run.sqlCount(s.entries[0]);
  const figureStatements = figures ? await run.sqlCount(figures.entries[0]) : null;
  run.log(`scenario ${s.id} ${s.name}: ${contenders.map((c) => c.key).join(', ')} in ${args.rounds} alternating rounds`);
  const summary = await alternate(contenders, { rounds: args.rounds, connections: args.connections, duration: args.roundDuration, warmup: args.warmup, sequential: args.sequential }, run.log);
  peerRss?.stop();

  const floorOpts = { seconds: args.roundDuration, concurrency: args.connections, poolSize: run.apiDbPool };
  const floor = await measureSqlFloor(run.dbUrl, s.floor.sql, s.floor.params, floorOpts);
  const floorUnloaded = await measureSqlFloorSequential(run.dbUrl, s.floor.sql, s.floor.params);
  const own = summary.get('own')!;
  const peerSummary = summary.get('peer');
  const ratioToPeer = (x: ContenderSummary) => (peerSummary && peerSummary.perSecond > 0 ? x.perSecond / peerSummary.perSecond : undefined);

  let figuresResult: DocumentResult | undefined;
  if (figures) {
    const x = summary.get('figures')!;
    figuresResult = {
      name: figures.name, system: 'ours', ...x, sqlStatements: figureStatements, ratioToPeer: ratioToPeer(x),
      floor: await measureSqlFloor(run.dbUrl, figures.floor.sql, figures.floor.params, floorOpts),
      floorUnloaded: await measureSqlFloorSequential(run.dbUrl, figures.floor.sql, figures.floor.params),
    };
  }
  const peerResult: DocumentResult | undefined = peerSummary && peerDoc ? { name: peerDoc.name, description: peerDoc.description, system: 'peer', ...peerSummary } : undefined;
  const { goals, goal } = dashboardGoals(
    s.id,
    [
      ...(figuresResult ? [{ label: 'figures', ratioToPeer: figuresResult.ratioToPeer, p99: figuresResult.p99, unloadedP50: figuresResult.unloadedP50, floorUnloadedMedian: figuresResult.floorUnloaded?.median }] : []),
      { label: s.id === 1 ? 'ranking' : 'drill-down', ratioToPeer: ratioToPeer(own), p99: own.p99, unloadedP50: own.unloadedP50, floorUnloadedMedian: floorUnloaded.median },
    ],
    Math.max(own.maxRssMb, figuresResult?.maxRssMb ?? 0),
  );
  return {
    id: s.id, name: s.name, status: 'ran', connections: args.connections,
    perSecond: own.perSecond, perSecondPerRound: own.perSecondPerRound, total: own.total, p50: own.p50, p90: own.p90, p99: own.p99,
    errors: own.errors, errorSample: own.errorSample, sqlStatements: ownStatements, cpuMsPerRequest: own.cpuMsPerRequest,
    maxRssMb: Math.max(own.maxRssMb, figuresResult?.maxRssMb ?? 0),
    floor, ratio: floor.p50 > 0 ? own.p50 / floor.p50 : undefined,
    rounds: args.rounds, unloadedP50: own.unloadedP50, floorUnloaded, ratioToPeer: ratioToPeer(own),
    peer: peerResult, figures: figuresResult, goal, goals, seconds: Math.round((performance.now() - started) / 1000),
  };
}
