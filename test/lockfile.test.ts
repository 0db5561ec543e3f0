import fs from 'node:fs';
import path from 'node:path';

/*
 * `npm ci` refuses a lockfile that does not list every dependency of every locked package, optional
 * platform builds included (@swc/core-darwin-arm64 on a Linux machine, for instance): that is why
 * the Docker build failed. This checks the same rule offline, so a lockfile written where some
 * platform builds could not be resolved fails here rather than in someone's `docker build`.
 */
interface Locked {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  link?: boolean;
}

const root = path.resolve(__dirname, '..');
const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { lockfileVersion: number; packages: Record<string, Locked> };
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;

/** Node's lookup: node_modules/<name> in the package's own folder, then in each enclosing one. */
function resolve(from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = `${dir ? `${dir}/` : ''}node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (!dir) return undefined;
    const i = dir.lastIndexOf('/node_modules/');
    dir = i >= 0 ? dir.slice(0, i) : '';
  }
}

it('is a v3 lockfile whose root entry matches package.json exactly', () => {
  expect(lock.lockfileVersion).toBe(3);
  const rootEntry = lock.packages[''];
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies'] as const) {
    expect([field, (rootEntry as Record<string, unknown>)[field] ?? {}]).toEqual([field, pkg[field] ?? {}]);
  }
});

it('lists every dependency and optional platform build of every locked package (what npm ci checks)', () => {
  const missing: string[] = [];
  for (const [where, entry] of Object.entries(lock.packages)) {
    if (entry.link) continue;
    const wanted = { ...entry.dependencies, ...entry.optionalDependencies, ...(where === '' ? { ...pkg.devDependencies } : {}) };
    for (const name of Object.keys(wanted)) if (!resolve(where, name)) missing.push(`${where || '(root)'} → ${name}`);
    for (const name of Object.keys(entry.peerDependencies ?? {})) {
      if (!entry.peerDependenciesMeta?.[name]?.optional && !resolve(where, name)) missing.push(`${where} → ${name} (peer)`);
    }
  }
  expect(missing).toEqual([]);
});
