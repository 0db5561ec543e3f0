import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from '../context';
import { AppError, BadUserInputError, UnauthenticatedError, bearerChallenge, type InputProblem } from '../common/errors';
import { isIsoDate, todayInVietnam } from '../common/scalars';
import { toGlobalId } from '../common/global-id';
import { scope } from '../common/scoped';
import { metricsByCodes } from '../metrics/metric.repo';
import { unitColumns } from '../units/unit.service';
import { UnitLevel } from '../units/unit-level';
import { streamFigures, type ExportRow } from './figures-export.repo';
import { rateLimitHeaders } from '../common/rate-limit-headers';

export interface FiguresExportDeps {
  /** Builds the request's Context as /graphql does (authentication by API key or token, rate limit). */
  contextFor(req: IncomingMessage): Promise<Context>;
  /** Told how many rows each batch sent (Prometheus counter). */
  onRows?(n: number): void;
  batchRows?: number;
}

const DEFAULT_METRICS = ['eid.collected', 'eid.approved', 'eid.activated'];
const MAX_METRICS = 20;

interface ExportQuery {
  level: UnitLevel;
  asOf: string;
  metrics: string[];
  format: 'csv' | 'ndjson';
}

function parseQuery(url: URL, accept: string): ExportQuery {
  const problems: InputProblem[] = [];
  const level = url.searchParams.get('level') ?? '';
  if (!(Object.values(UnitLevel) as string[]).includes(level)) problems.push({ path: ['level'], message: `level must be one of ${Object.values(UnitLevel).join(', ')}.` });
  const asOf = url.searchParams.get('asOf') ?? todayInVietnam();
  if (!isIsoDate(asOf)) problems.push({ path: ['asOf'], message: 'asOf must be a calendar day written YYYY-MM-DD.' });
  const metrics = (url.searchParams.get('metrics') ?? DEFAULT_METRICS.join(',')).split(',').map((m) => m.trim()).filter(Boolean);
  if (metrics.length === 0 || metrics.length > MAX_METRICS) problems.push({ path: ['metrics'], message: `metrics must name 1 to ${MAX_METRICS} metric codes, comma-separated.` });
  const format = url.searchParams.get('format') ?? (accept.includes('application/x-ndjson') ? 'ndjson' : 'csv');
  if (format !== 'csv' && format !== 'ndjson') problems.push({ path: ['format'], message: 'format must be csv or ndjson.' });
  if (problems.length) throw new BadUserInputError(`The export request is invalid: ${problems.map((p) => p.message).join(' ')}`, problems);
  return { level: level as UnitLevel, asOf, metrics: [...new Set(metrics)], format: format as 'csv' | 'ndjson' };
}

const csvCell = (v: string): string => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

function refuse(res: ServerResponse, e: AppError): void {
  const http = (e.extensions as { http?: { status?: number; headers?: Map<string, string> } }).http;
  res.statusCode = http?.status ?? (e.code === 'UNAUTHENTICATED' ? 401 : e.code === 'BAD_USER_INPUT' ? 400 : e.code === 'NOT_FOUND' ? 404 : e.code === 'FORBIDDEN' ? 403 : 400);
  for (const [k, v] of http?.headers ?? []) res.setHeader(k, v);
  if (e instanceof UnauthenticatedError) res.setHeader('www-authenticate', bearerChallenge(e.reason, e.message));
  res.setHeader('content-type', 'application/json; charset=utf-8');
  const { http: _h, ...extensions } = e.extensions as Record<string, unknown>;
  res.end(JSON.stringify({ errors: [{ message: e.message, extensions: { ...extensions, code: e.code } }] }));
}

/**
 * GET /exports/figures?level=COMMUNE&asOf=2023-06-30&metrics=eid.collected,eid.activated&format=csv|ndjson
 * Every unit of the level in the caller's jurisdiction with its figures as of the day, streamed from a database
 * cursor with backpressure (memory does not grow with the export). Meant for integrators' API keys.
 */
export function createFiguresExport(deps: FiguresExportDeps) {
  const batchRows = deps.batchRows ?? 2000;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let ctx: Context;
    let q: ExportQuery;
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.statusCode = 405;
        res.setHeader('allow', 'GET, HEAD');
        res.end();
        return;
      }
      q = parseQuery(new URL(req.url ?? '/', 'http://localhost'), req.headers.accept ?? '');
      try {
        ctx = await deps.contextFor(req);
      } finally {
        for (const [k, v] of rateLimitHeaders(req)) res.setHeader(k, v);
      }
      if (!ctx.principal) throw new UnauthenticatedError('Exports need an API key (or an access token): Authorization: Bearer p06_…');
      const known = new Set((await metricsByCodes(ctx.em, q.metrics)).map((m) => m.code));
      const unknown = q.metrics.filter((m) => !known.has(m));
      if (unknown.length) throw BadUserInputError.field(['metrics'], `Unknown metrics: ${unknown.join(', ')}.`);
    } catch (e) {
      if (e instanceof AppError) return refuse(res, e);
      throw e;
    }
    const csv = q.format === 'csv';
    res.statusCode = 200;
    res.setHeader('content-type', csv ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="figures-${q.level.toLowerCase()}-${q.asOf}.${csv ? 'csv' : 'ndjson'}"`);
    res.setHeader('cache-control', 'no-store');
    if (req.method === 'HEAD') return void res.end();
    let closed = false;
    res.on('close', () => (closed = true));
    if (csv) res.write(`${['unit_id', 'unit_code', 'unit_name', 'parent_code', 'level', 'as_of', ...q.metrics].join(',')}\n`);
    const line = csv
      ? (r: ExportRow) => `${[toGlobalId('Unit', r.id), r.code, csvCell(r.name), r.parent_code ?? '', q.level, q.asOf, ...r.vals.map(String)].join(',')}\n`
      : (r: ExportRow) => `${JSON.stringify({ unitId: toGlobalId('Unit', r.id), unitCode: r.code, unitName: r.name, parentCode: r.parent_code, level: q.level, asOf: q.asOf, figures: Object.fromEntries(q.metrics.map((m, i) => [m, Number(r.vals[i])])) })}\n`;
    try {
      await streamFigures(ctx.em, { level: q.level, asOf: q.asOf, metrics: q.metrics, batchRows }, scope(ctx, 'read', 'Unit', unitColumns), async (rows) => {
        if (closed) return false;
        deps.onRows?.(rows.length);
        if (!res.write(rows.map(line).join(''))) await Promise.race([once(res, 'drain'), once(res, 'close')]);
        return !closed;
      });
      res.end();
    } catch (err) {
      ctx.log.error({ err }, 'export failed');
      // Headers are gone: cut the stream so the client sees an incomplete transfer rather than a short file.
      res.destroy();
    }
  };
}
