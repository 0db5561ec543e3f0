import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../src/db/free-port';

export interface ApiServer extends Omit<RssWatch, 'stop'> {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * The node flags the production API runs with: the V8 flags of `npm start` (heap bounds), so the figures are the
 * ones production runs with, plus --cpu-prof into BENCH_CPU_PROF when set.
 */
export function productionNodeArgs(root: string): string[] {
  const start: string = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts.start;
  const startFlags = /\bnode((?:\s+--[\w-]+(?:=\S+)?)*)\s+dist\/src\/main\.js/.exec(start)?.[1];
  return [...(startFlags?.trim().split(/\s+/) ?? []), ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`] : [])];
}

/** A fresh ES256 signing key for the run (PKCS#8 PEM), as production requires JWT_PRIVATE_KEY. */
export const generateSigningKey = (): string =>
  generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

export interface RssWatch {
  /** Highest VmRSS seen since the last reset, in MiB. */
  maxRssMb(): number;
  resetRss(): void;
  stop(): void;
}

/** Samples a process's VmRSS (/proc/<pid>/status) every 200 ms. */
export function watchRss(pid: number): RssWatch {
  let max = rssMb(pid);
  const sampler = setInterval(() => (max = Math.max(max, rssMb(pid))), 200);
  sampler.unref();
  return {
    maxRssMb: () => Math.max(max, rssMb(pid)),
    resetRss: () => (max = rssMb(pid)),
    stop: () => clearInterval(sampler),
  };
}

/**
 * Starts the built API (dist/src/main.js) as its own process. mode 'production' is the measured server;
 * 'development' is a short-lived probe that returns extensions.sqlStatements and allows introspection.
 * Rate limits are off (RATE_LIMIT_*=0) so the bench measures the work, not the limiter.
 */
export async function startApiServer(opts: {
  root: string;
  databaseUrl: string;
  privateKeyPem: string;
  mode: 'production' | 'development';
  extraEnv?: Record<string, string>;
  nodeArgs?: string[];
  log: (m: string) => void;
}): Promise<ApiServer> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vneid-bench-api-'));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: opts.mode,
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dataDir,
    DATABASE_URL: opts.databaseUrl,
    JWT_PRIVATE_KEY: opts.privateKeyPem,
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_PRINCIPAL: '0',
    RATE_LIMIT_PER_ADDRESS: '0',
    RATE_LIMIT_LOGIN_PER_ADDRESS: '0',
    // Tokens obtained at the start must outlive a default run.
    ACCESS_TOKEN_TTL_SECONDS: '86400',
    // BENCH_RESPONSE_CACHE_MB=0 measures the API without its shared answer cache (every dashboard computed).
    ...(process.env.BENCH_RESPONSE_CACHE_MB ? { RESPONSE_CACHE_MB: process.env.BENCH_RESPONSE_CACHE_MB } : {}),
    ...opts.extraEnv,
  };
  const child: ChildProcess = spawn(process.execPath, [...(opts.nodeArgs ?? []), path.join(opts.root, 'dist/src/main.js')], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      tail.push(line);
      if (tail.length > 40) tail.shift();
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  child.on('exit', () => (exited = true));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`API (${opts.mode}) exited during start:\n${tail.join('\n')}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`API (${opts.mode}) not ready after 60 s:\n${tail.join('\n')}`);
    }
    try {
      const res = await fetch(`${base}/readyz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const pid = child.pid!;
  const rss = watchRss(pid);
  opts.log(`API (${opts.mode}) pid ${pid} at ${base}/graphql`);
  return {
    url: `${base}/graphql`,
    pid,
    maxRssMb: rss.maxRssMb,
    resetRss: rss.resetRss,
    async stop() {
      rss.stop();
      if (!exited) {
        const done = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await done;
        clearTimeout(timer);
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
