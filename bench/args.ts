/** Command-line flags of `npm run bench`. */
export interface BenchArgs {
  quick: boolean;
  /** Days of daily progress history per hamlet. */
  days: number;
  /** Measured seconds per scenario (after the warm-up). */
  duration: number;
  /** Concurrent connections of the read scenarios. */
  connections: number;
  /** National generator scale (1, or 0.3 with --quick). */
  scale: number;
  warmup: number;
  /** Only these scenario numbers (--only 1,2); all when empty. */
  only: number[];
  /** Run the PostGraphile peer beside scenarios 1 and 2 (--no-peer: false). */
  peer: boolean;
  /** Alternating rounds of scenarios 1 and 2 (peer and ours in turn). */
  rounds: number;
  /** Measured seconds of each run in those rounds (and of their loaded SQL floors). */
  roundDuration: number;
  /** Sequential requests on one connection per document and round (the unloaded p50). */
  sequential: number;
}

const USAGE = `Usage: npm run bench -- [--quick] [--days N] [--duration S] [--connections N] [--only 1,2,...] [--no-peer] [--rounds N] [--round-duration S] [--sequential N]
  --quick          national generator at scale 0.3, 5 s per run
  --days N         days of daily progress history per hamlet (default 30)
  --duration S     measured seconds per run (default 20, quick 5)
  --connections N  concurrent connections of the read scenarios (default 32)
  --only LIST      run only these scenarios (comma-separated numbers, 1-10); --only 10 builds no synthetic national data
  --no-peer        do not run the PostGraphile peer beside scenarios 1 and 2
  --rounds N       alternating rounds of scenarios 1 and 2 (default 3)
  --round-duration S  measured seconds per run in those rounds (default --duration if given, else 10, quick 5)
  --sequential N   sequential requests on one connection per document and round, for the unloaded p50 (default 50)
Environment: BENCH_DATABASE_URL uses that (empty) database instead of a temporary embedded PostgreSQL;
BENCH_PEER_DIR the PostGraphile harness (default ../shared/peers/postgraphile, then ../../shared/peers/postgraphile);
BENCH_RESPONSE_CACHE_MB=0 runs the API without its shared answer cache (every dashboard request computed).`;

export function parseArgs(argv: string[]): BenchArgs {
  const quick = argv.includes('--quick');
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const int = (name: string, def: number, min: number, max: number): number => {
    const raw = value(name);
    if (raw === undefined) return def;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      console.error(`${name} expects an integer from ${min} to ${max}, got ${raw}\n${USAGE}`);
      process.exit(2);
    }
    return n;
  };
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    process.exit(0);
  }
  const known = new Set(['--quick', '--days', '--duration', '--connections', '--only', '--no-peer', '--rounds', '--round-duration', '--sequential']);
  const valued = new Set(['--days', '--duration', '--connections', '--only', '--rounds', '--round-duration', '--sequential']);
  for (const [i, a] of argv.entries()) {
    if (a.startsWith('--') && !known.has(a)) {
      console.error(`Unknown flag ${a}\n${USAGE}`);
      process.exit(2);
    }
    if (!a.startsWith('--') && !valued.has(argv[i - 1] ?? '')) {
      console.error(`Unexpected argument ${a}\n${USAGE}`);
      process.exit(2);
    }
  }
  const duration = int('--duration', quick ? 5 : 20, 1, 3600);
  return {
    quick,
    days: int('--days', 30, 1, 400),
    duration,
    connections: int('--connections', 32, 1, 1000),
    scale: quick ? 0.3 : 1,
    warmup: quick ? 1 : 3,
    only: (value('--only') ?? '').split(',').filter(Boolean).map(Number),
    peer: !argv.includes('--no-peer'),
    rounds: int('--rounds', 3, 1, 20),
    // Three rounds of 10 s measure each system 30 s per document and keep a default run near 15 minutes;
    // an explicit --duration applies to the rounds too.
    roundDuration: int('--round-duration', value('--duration') !== undefined ? duration : quick ? 5 : 10, 1, 3600),
    sequential: int('--sequential', 50, 0, 10_000),
  };
}
