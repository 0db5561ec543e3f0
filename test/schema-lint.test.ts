import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createSchema, printSortedSchema } from '../src/schema';

const CLI = require.resolve('graphql-schema-linter/lib/cli.js');

interface LintError { message: string; rule: string; location: { line: number } }

/** Runs graphql-schema-linter (default rules, no project config) on SDL; its JSON report's errors. */
function lint(sdl: string): LintError[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-lint-'));
  try {
    const file = path.join(dir, 'schema.graphql');
    fs.writeFileSync(file, sdl);
    let out: string;
    try {
      out = execFileSync(process.execPath, [CLI, '--format', 'json', '--config-directory', dir, file], { encoding: 'utf8' });
    } catch (e) {
      out = (e as { stdout: string }).stdout; // exit code 1 means "errors found": the report is still on stdout
    }
    return (JSON.parse(out) as { errors: LintError[] }).errors;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('graphql-schema-linter (default rules)', () => {
  it('finds no violation in the schema', async () => {
    const errors = lint(printSortedSchema(await createSchema()));
    expect(errors.map((e) => `${e.rule}: ${e.message}`)).toEqual([]);
  });

  it('does find violations (the linter really runs)', () => {
    const errors = lint('type Query { a(x: Int): Int }\n');
    expect(errors.map((e) => e.rule)).toEqual(expect.arrayContaining(['types-have-descriptions', 'fields-have-descriptions', 'arguments-have-descriptions']));
  });
});
