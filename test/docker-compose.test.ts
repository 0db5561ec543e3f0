import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/* No Docker engine runs here; this checks what can be checked without one. */
const root = path.resolve(__dirname, '..');

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

  it('uses a multi-stage Dockerfile on a current Node LTS image that runs the compiled entry point', () => {
    const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    const stages = dockerfile.match(/^FROM node:(\d+)[^\s]* AS \w+/gm) ?? [];
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const s of stages) expect(Number(/node:(\d+)/.exec(s)![1]) % 2).toBe(0);
    const [, flags, main] = /CMD \["node", ((?:"--[^"]+", )*)"([^"]+)"\]/.exec(dockerfile)!;
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(main).toBe(pkg.main);
    // The heap is bounded, the same in the image as in `npm start`.
    const heap = /--max-old-space-size=\d+/.exec(flags)![0];
    expect(pkg.scripts.start).toContain(`node ${heap} ${pkg.main}`);
  });
});
