import fs from 'node:fs';
import path from 'node:path';
import { parse, validate } from 'graphql';
import { startTestApp, type TestApp } from '../support/app';
import { gql, type GqlResult } from '../support/client';
import { seedDemo } from '../../seeds/demo';
import { DEMO_PASSWORD } from '../../seeds/demo-accounts';
import { toGlobalId } from '../../src/common/global-id';
import { createSchema } from '../../src/schema';

/*
 * Docs that run: every ```graphql block of README.md and docs/*.md is parsed, validated against the schema and
 * executed, in page order, against the demo data, as the demo account its `# as: <username>` line names
 * (none: anonymous). `# variables: {…}` gives variables; placeholders in them are looked up in the demo data:
 * "<unit:CODE>", "<campaign:SCOPE_CODE>" (the province's demo campaign), "<campaign:national>",
 * "<team:NAME>", "<principal:USERNAME>", "<service:DISPLAY NAME>", "<member:TEAM NAME>" (the team's leader), "<refresh:USERNAME>" (a fresh
 * refresh token of that account).
 * `# expect: CODE` says the example shows an error. `# run: no — reason` only validates (e.g. subscriptions).
 */

const ROOT = path.join(__dirname, '..', '..');
const FILES = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];

interface Example {
  file: string;
  line: number;
  source: string;
  as: string | null;
  variables: string | null;
  expect: string | null;
  run: boolean;
}

function examples(): Example[] {
  const out: Example[] = [];
  for (const file of FILES) {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    for (const m of text.matchAll(/```graphql\n([\s\S]*?)```/g)) {
      const source = m[1];
      const directive = (name: string) => new RegExp(`^#\\s*${name}:\\s*(.+)$`, 'm').exec(source)?.[1].trim() ?? null;
      out.push({
        file,
        line: text.slice(0, m.index).split('\n').length,
        source,
        as: directive('as'),
        variables: directive('variables'),
        expect: directive('expect'),
        run: !/^no\b/.test(directive('run') ?? ''),
      });
    }
  }
  return out;
}

let t: TestApp;
const tokens = new Map<string, string>();
const all = examples();

beforeAll(async () => {
  t = await startTestApp();
  await seedDemo(t.app.orm, t.app.config, t.url);
}, 300_000);
afterAll(() => t?.close());

async function tokenOf(username: string): Promise<string> {
  let token = tokens.get(username);
  if (!token) {
    const r = await gql(t, `mutation($u: String!, $p: String!) { login(input: { username: $u, password: $p }) { accessToken } }`, { u: username, p: DEMO_PASSWORD });
    if (r.errors) throw new Error(`cannot sign in as ${username}: ${r.errors[0].message}`);
    token = r.data.login.accessToken as string;
    tokens.set(username, token);
  }
  return token;
}

async function lookup(kind: string, key: string): Promise<string> {
  const one = async (sql: string, type: string) => {
    const rows = await t.sql<{ id: number }>(sql, [key]);
    if (rows.length !== 1) throw new Error(`placeholder <${kind}:${key}> matches ${rows.length} rows`);
    return toGlobalId(type, rows[0].id);
  };
  switch (kind) {
    case 'unit': return one('select id from admin_unit where code = $1', 'Unit');
    case 'campaign':
      return key === 'national'
        ? one(`select id from campaign where scope_unit_id is null and $1 = 'national'`, 'Campaign')
        : one(`select c.id from campaign c join admin_unit s on s.id = c.scope_unit_id where s.code = $1`, 'Campaign');
    case 'team': return one('select id from team where name = $1 order by id limit 1', 'Team');
    case 'member': return one('select m.id from team_member m where m.is_leader and m.team_id = (select id from team where name = $1 order by id limit 1)', 'TeamMember');
    case 'principal': return one('select id from principal where username = $1', 'Principal');
    case 'service': return one(`select id from principal where kind = 'SERVICE_ACCOUNT' and display_name = $1`, 'Principal');
    case 'refresh': {
      const r = await gql(t, `mutation($u: String!, $p: String!) { login(input: { username: $u, password: $p }) { refreshToken } }`, { u: key, p: DEMO_PASSWORD });
      return r.data.login.refreshToken as string;
    }
    default: throw new Error(`unknown placeholder kind ${kind}`);
  }
}

/** Paths of null root fields and of empty lists in an answer. */
function emptyLists(value: unknown, at = ''): string[] {
  if (Array.isArray(value)) return value.length === 0 ? [at] : value.flatMap((v, i) => emptyLists(v, `${at}.${i}`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => (v === null && !at ? [k] : emptyLists(v, at ? `${at}.${k}` : k)));
  return [];
}

async function variablesOf(e: Example): Promise<Record<string, unknown>> {
  if (!e.variables) return {};
  let json = e.variables;
  for (const m of json.matchAll(/<(\w+):([^>]+)>/g)) json = json.replace(m[0], await lookup(m[1], m[2].trim()));
  return JSON.parse(json) as Record<string, unknown>;
}

describe('docs that run', () => {
  it('finds examples in README.md and every guide', () => {
    for (const f of ['README.md', 'docs/API-GUIDE.md', 'docs/FRONTEND.md', 'docs/INTEGRATORS.md', 'docs/ADMINISTRATORS.md']) {
      expect(all.filter((e) => e.file === f).length).toBeGreaterThan(0);
    }
  });

  it('every example is valid against the schema', async () => {
    const schema = await createSchema();
    const invalid = all.flatMap((e) => validate(schema, parse(e.source)).map((err) => `${e.file}:${e.line}: ${err.message}`));
    expect(invalid).toEqual([]);
  });

  // One test per example, in order (later examples may use what earlier ones created).
  for (const e of all.filter((x) => x.run)) {
    it(`${e.file}:${e.line} runs${e.as ? ` as ${e.as}` : ''}${e.expect ? `, answering ${e.expect}` : ''}`, async () => {
      const r: GqlResult = await gql(t, e.source, await variablesOf(e), e.as ? await tokenOf(e.as) : undefined);
      if (e.expect) {
        expect(r.errors?.map((x) => x.extensions.code)).toContain(e.expect);
      } else {
        expect(r.errors ?? []).toEqual([]);
        expect(r.data).toBeTruthy();
        // an example that shows nothing teaches little: the demo data fills every list the example asks for
        expect(emptyLists(r.data)).toEqual([]);
      }
    });
  }
});
