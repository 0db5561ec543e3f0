import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { IDE_CLIENT_JS, IDE_CSS } from './ide-client';

/*
 * The GraphQL IDE, served from the package: GraphiQL's browser build with React from node_modules, our
 * sign-in helper, nothing from a CDN. The page runs no inline script: each <script> carries a fresh nonce and
 * the page's Content-Security-Policy allows those alone.
 */

export interface Asset {
  body: Buffer;
  type: string;
}

/** A file inside an installed package (package `exports` maps hide the browser builds from require.resolve). */
const inPackage = (pkg: string, file: string) => () => fs.readFileSync(path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file));

const FILES: Record<string, [read: () => string | Buffer, type: string]> = {
  'react.js': [inPackage('react', 'umd/react.production.min.js'), 'text/javascript; charset=utf-8'],
  'react-dom.js': [inPackage('react-dom', 'umd/react-dom.production.min.js'), 'text/javascript; charset=utf-8'],
  'graphiql.js': [inPackage('graphiql', 'graphiql.min.js'), 'text/javascript; charset=utf-8'],
  'graphiql.css': [inPackage('graphiql', 'graphiql.min.css'), 'text/css; charset=utf-8'],
  'ide.js': [() => IDE_CLIENT_JS, 'text/javascript; charset=utf-8'],
  'ide.css': [() => IDE_CSS, 'text/css; charset=utf-8'],
};
const SCRIPTS = ['react.js', 'react-dom.js', 'graphiql.js', 'ide.js'];
const STYLES = ['graphiql.css', 'ide.css'];

let loaded: { version: string; assets: Map<string, Asset> } | undefined;

/** Reads the assets once; the URL carries a hash of their content, so browsers may cache them forever. */
function assets(): { version: string; assets: Map<string, Asset> } {
  if (loaded) return loaded;
  const map = new Map<string, Asset>();
  const hash = createHash('sha256');
  for (const [name, [source, type]] of Object.entries(FILES)) {
    const read = source();
    const body = typeof read === 'string' ? Buffer.from(read) : read;
    hash.update(body);
    map.set(name, { body, type });
  }
  loaded = { version: hash.digest('hex').slice(0, 12), assets: map };
  return loaded;
}

export function ideContentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function idePage(nonce: string, endpoint = '/graphql'): string {
  const { version } = assets();
  const href = (f: string) => `/ide/${version}/${f}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>VNeID campaign API – GraphQL IDE</title>
${STYLES.map((f) => `<link rel="stylesheet" href="${href(f)}" nonce="${nonce}">`).join('\n')}
</head>
<body data-endpoint="${endpoint}">
<div id="ide-bar">
<strong>VNeID campaign API</strong>
<form id="ide-signin" autocomplete="on"><input id="ide-username" name="username" placeholder="username" autocomplete="username" required>
<input id="ide-password" name="password" type="password" placeholder="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form>
<button id="ide-signout" type="button" hidden>Sign out</button>
<span id="ide-status" role="status"></span>
</div>
<div id="ide-graphiql"></div>
${SCRIPTS.map((f) => `<script src="${href(f)}" nonce="${nonce}"></script>`).join('\n')}
</body>
</html>
`;
}

/** A browser navigating to /graphql (GET asking for HTML), as opposed to a GraphQL client. */
export function wantsIde(req: IncomingMessage): boolean {
  return req.method === 'GET' && /\btext\/html\b/.test(req.headers.accept ?? '') && !new URL(req.url ?? '/', 'http://x').searchParams.has('query');
}

/** Writes the IDE page. */
export function sendIdePage(res: ServerResponse): void {
  const nonce = randomBytes(16).toString('base64');
  res.statusCode = 200;
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.setHeader('content-security-policy', ideContentSecurityPolicy(nonce));
  res.setHeader('cache-control', 'no-store');
  res.end(idePage(nonce));
}

/** The IDE asset at /ide/<version>/<file>, or undefined when the path is not one. */
export function ideAsset(path: string): Asset | undefined {
  const m = /^\/ide\/([0-9a-f]{12})\/([\w.-]+)$/.exec(path);
  const { version, assets: files } = assets();
  return m && m[1] === version ? files.get(m[2]) : undefined;
}

/** Serves /ide/<version>/<file>; false when the path is not an IDE asset. */
export function sendIdeAsset(path: string, res: ServerResponse): boolean {
  const asset = ideAsset(path);
  if (!asset) return false;
  res.statusCode = 200;
  res.setHeader('content-type', asset.type);
  res.setHeader('cache-control', 'public, max-age=31536000, immutable');
  res.setHeader('cross-origin-resource-policy', 'same-origin');
  res.end(asset.body);
  return true;
}
