import fs from 'node:fs';
import path from 'node:path';

/** The folder of the official lists: VN_UNITS_DIR, else the nearest `shared/data/vn-units` above the project (worktrees sit deeper). */
export function vnUnitsDir(): string {
  if (process.env.VN_UNITS_DIR) return process.env.VN_UNITS_DIR;
  let dir = path.resolve(__dirname, '..', '..', '..');
  for (;;) {
    const candidate = path.join(dir, 'shared', 'data', 'vn-units');
    if (fs.existsSync(candidate) || path.dirname(dir) === dir) return fs.existsSync(candidate) ? candidate : path.resolve(__dirname, '..', '..', '..', 'shared', 'data', 'vn-units');
    dir = path.dirname(dir);
  }
}

/** The official unit lists live beside the project (../shared/data/vn-units); they are never copied into it. */
export function vnUnitsFile(name: string): string {
  const dir = vnUnitsDir();
  const file = path.join(dir, name);
  if (!fs.existsSync(file)) throw new Error(`Reference data ${file} is missing: set VN_UNITS_DIR to the folder holding units_2024.csv.`);
  return file;
}
