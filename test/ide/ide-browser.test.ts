/// <reference lib="dom" />
import fs from 'node:fs';
import { startTestApp, type TestApp } from '../support/app';
import { smallTree } from '../support/factories';
import { userWith, PASSWORD } from '../support/accounts';

/*
 * The IDE in a real headless browser (Debian's chromium, which .ci/run installs): the page renders under its
 * strict CSP with nothing loaded from elsewhere, introspection loads, the sign-in helper signs in and a query runs.
 */
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const haveBrowser = fs.existsSync(CHROMIUM);
if (!haveBrowser) {
  // eslint-disable-next-line no-console
  console.warn(`IDE browser test skipped: no Chromium at ${CHROMIUM} (install the Debian package "chromium"; .ci/run does).`);
}

(haveBrowser ? describe : describe.skip)('GraphQL IDE in Chromium', () => {
  let t: TestApp;
  let username: string;
  beforeAll(async () => {
    t = await startTestApp({ GRAPHQL_IDE: 'true' });
    await smallTree(t);
    username = (await userWith(t, { home: 'D1', grants: [{ role: 'VIEWER', unit: 'D1' }] })).username;
  });
  afterAll(() => t?.close());

  it('renders offline under its CSP, loads the schema, signs in and runs a query', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
    try {
      const page = await browser.newPage();
      const foreign: string[] = [];
      const problems: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith(t.base) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) foreign.push(r.url());
      });
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page: ${e.message}`));
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
      });
      const introspection = page.waitForResponse((r) => r.url() === t.url && (r.request().postData() ?? '').includes('__schema'));
      const res = await page.goto(`${t.base}/`);
      expect(page.url()).toBe(t.url); // / redirects to /graphql
      expect(res!.headers()['content-security-policy']).toMatch(/script-src 'nonce-[^']+'(;|$)/);
      await page.waitForSelector('.graphiql-container', { timeout: 30_000 });
      const schemaAnswer = await (await introspection).json();
      expect(schemaAnswer.data?.__schema.queryType.name).toBe('Query');

      await page.fill('#ide-username', username);
      await page.fill('#ide-password', PASSWORD);
      await page.click('#ide-signin button[type=submit]');
      await page.waitForFunction(() => document.getElementById('ide-status')!.textContent!.startsWith('Signed in as'));

      await page.evaluate(() => {
        const cm = (document.querySelector('.graphiql-query-editor .CodeMirror') as unknown as { CodeMirror: { setValue(v: string): void } }).CodeMirror;
        cm.setValue('{ unitByCode(code: "D1") { name children { totalCount } } }');
      });
      await page.click('.graphiql-execute-button');
      await page.waitForFunction(() => (document.querySelector('.graphiql-response')?.textContent ?? '').includes('Núi Thành'), undefined, { timeout: 15_000 });
      const answer = await page.textContent('.graphiql-response');
      expect(answer).toContain('"totalCount": 2');
      expect(foreign).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe('GraphQL IDE routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ GRAPHQL_IDE: 'true' });
  });
  afterAll(() => t?.close());

  it('serves the page to browsers only, with a fresh nonce and local assets; / redirects', async () => {
    const page = await fetch(t.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy')!;
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    const html = await page.text();
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(2);
    for (const s of scripts) {
      expect(s).toContain(`nonce="${nonce}"`);
      expect(s).toMatch(/src="\/ide\//); // no inline script, nothing from a CDN
    }
    expect(html).not.toMatch(/https?:\/\//);
    const again = await fetch(t.url, { headers: { accept: 'text/html' } });
    expect(/'nonce-([^']+)'/.exec(again.headers.get('content-security-policy')!)![1]).not.toBe(nonce);
    const asset = await fetch(`${t.base}${/src="(\/ide\/[^"]+graphiql\.js)"/.exec(html)![1]}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    // GraphQL clients still get GraphQL
    const api = await fetch(`${t.url}?query=${encodeURIComponent('{ __typename }')}`, { headers: { accept: 'application/json', 'apollo-require-preflight': 'true' } });
    expect(api.headers.get('content-type')).toContain('json');
    const root = await fetch(`${t.base}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/graphql');
  });

  it('is off when GRAPHQL_IDE=false (production default)', async () => {
    const off = await startTestApp({ GRAPHQL_IDE: 'false' });
    try {
      const page = await fetch(off.url, { headers: { accept: 'text/html' } });
      expect(page.headers.get('content-type')).not.toContain('text/html');
      expect((await fetch(`${off.base}/`, { redirect: 'manual' })).status).toBe(404);
    } finally {
      await off.close();
    }
  });
});
