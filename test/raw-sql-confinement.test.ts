import fs from 'node:fs';
import path from 'node:path';

/*
 * Raw SQL bypasses nothing only if it stays where reviewers look for it (STYLE.md, "things to avoid" #2):
 * data access lives in *.repo.ts files, whose read functions take the caller's jurisdiction as a parameter.
 * The few infrastructure files below run SQL that concerns no jurisdiction (auth lookup, audit insert,
 * rate-limit counters, health checks) or run a repository's statement for it (src/db/prepared.ts).
 */
const INFRASTRUCTURE = new Set(['src/auth/authenticate.ts', 'src/audit/audit.ts', 'src/common/rate-limit.ts', 'src/server.ts', 'src/http/routes.ts', 'src/app.ts', 'src/db/prepared.ts']);

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

it('runs raw SQL and query builders only in repositories and named infrastructure files', () => {
  const root = path.resolve(__dirname, '..');
  const offenders = sources(path.join(root, 'src'))
    .map((f) => path.relative(root, f))
    .filter((f) => !f.endsWith('.repo.ts') && !f.startsWith('src/cli/') && !INFRASTRUCTURE.has(f))
    .filter((f) => /\.execute\(|createQueryBuilder\(|getKnex\(\)\.raw/.test(fs.readFileSync(path.join(root, f), 'utf8')));
  expect(offenders).toEqual([]);
});
