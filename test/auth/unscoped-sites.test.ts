import fs from 'node:fs';
import path from 'node:path';

/*
 * Repositories take a `Scope` (src/common/scoped.ts) that only scope() and unscoped(reason) can make. This test
 * lists every unscoped site with its reason, so a new one shows up in review as a snapshot change, and refuses
 * the ways around the type (a cast to Scope, SQL_TRUE or abilityToSql used outside scoped.ts).
 */
const root = path.resolve(__dirname, '../..');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const files = sources(path.join(root, 'src')).map((f) => ({ file: path.relative(root, f), text: fs.readFileSync(f, 'utf8') }));
const SCOPED = 'src/common/scoped.ts';

it('every unscoped() site, with its reason', () => {
  const sites: string[] = [];
  for (const { file, text } of files) {
    if (file === SCOPED) continue;
    const calls = text.match(/\bunscoped\(/g)?.length ?? 0;
    const literal = [...text.matchAll(/\bunscoped\('([^']+)'\)/g)].map((m) => `${file}: ${m[1]}`);
    expect([file, literal.length]).toEqual([file, calls]); // the reason is a string literal, readable here
    sites.push(...literal);
  }
  expect(sites.sort()).toMatchSnapshot();
});

it('nothing else makes a Scope: no casts, no SQL_TRUE or abilityToSql outside scoped.ts', () => {
  const offenders = files
    .filter(({ file }) => file !== SCOPED && file !== 'src/auth/ability-to-sql.ts')
    .filter(({ text }) => /\bas Scope\b|<Scope>|\bSQL_TRUE\b|\bSQL_FALSE\b|\babilityToSql\b/.test(text))
    .map(({ file }) => file);
  expect(offenders).toEqual([]);
});
