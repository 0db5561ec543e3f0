import fs from 'node:fs';
import path from 'node:path';

/**
 * VN_UNITS_DIR, else the nearest `shared/data/vn-units` above this file (bench/ in the sources, dist/bench/ when
 * built; a worktree sits deeper than ../). Here, not under test/, because the bench is built without the tests.
 */
function candidateDir(): string {
  if (process.env.VN_UNITS_DIR) return process.env.VN_UNITS_DIR;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared', 'data', 'vn-units');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return path.resolve(__dirname, '..', '..', 'shared', 'data', 'vn-units');
  }
}

/**
 * The official unit lists live beside the project (../shared/data/vn-units, or VN_UNITS_DIR); they
 * are never copied into it. Returns the folder, or null (with one clear line) when it is absent, so
 * tests that need the lists are skipped in a clone without them.
 */
export function vnUnitsDir(): string | null {
  const dir = candidateDir();
  if (fs.existsSync(path.join(dir, 'units_2024.csv'))) return dir;
  console.warn(`Skipping tests that need the official unit lists: ${dir}/units_2024.csv is absent (set VN_UNITS_DIR to the folder holding it).`);
  return null;
}
