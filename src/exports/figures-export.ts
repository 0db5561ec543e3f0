import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from '../context';
import { AppError, BadUserInputError, RateLimitedError, UnauthenticatedError, bearerChallenge, type InputProblem } from '../common/errors';
import { isIsoDate, todayInVietnam } from '../common/scalars';
import { scope } from '../common/scoped';
import { metricsByCodes } from '../metrics/metric.repo';
import { unitColumns } from '../units/unit.service';
import { UnitLevel } from '../units/unit-level';
import { streamFigures } from './figures-export.repo';
import { rateLimitHeaders } from '../common/rate-limit-headers';

export interface FiguresExportDeps {
  /** Builds the request's Context as /graphql does (authentication by API key or token, rate limit). */
  contextFor(req: IncomingMessage): Promise<Context>;
  /** Each export reads on a connection of its own (a COPY holds its connection until the client has read it all). */
  databaseUrl: string;
  /** Told how many rows went out (Prometheus counter). */
  onRows?(n: number): void;
}

/** Exports running at once on one instance (each holds a database connection while the client reads). */
const MAX_CONCURRENT_EXPORTS = 4;

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
 * Every unit of the level in the caller's jurisdiction with its figures as of the day, formatted by PostgreSQL (COPY)
 * and streamed with backpressure (memory does not grow with the export). Meant for integrators' API keys.
 */
export function createFiguresExport(deps: FiguresExportDeps) {
  let active = 0;
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
    if (active >= MAX_CONCURRENT_EXPORTS) {
      return refuse(res, new RateLimitedError(5));
    }
    const csv = q.format === 'csv';
    res.statusCode = 200;
    res.setHeader('content-type', csv ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="figures-${q.level.toLowerCase()}-${q.asOf}.${csv ? 'csv' : 'ndjson'}"`);
    res.setHeader('cache-control', 'no-store');
    if (req.method === 'HEAD') return void res.end();
    active++;
    try {
      await streamFigures(deps.databaseUrl, q, scope(ctx, 'read', 'Unit', unitColumns), res, (n) => deps.onRows?.(n));
    } catch (err) {
      // A client that went away is not an error; anything else cut the stream, so the client sees an incomplete transfer.
      if (!res.destroyed || (err as { code?: string }).code !== 'ERR_STREAM_PREMATURE_CLOSE') ctx.log.error({ err }, 'export failed');
      res.destroy();
    } finally {
      active--;
    }
  };
}
