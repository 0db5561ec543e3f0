import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';

export interface RateDecision {
  allowed: boolean;
  retryAfterSeconds: number;
  /** The limit of the window, and what is left of it after this request (for the RateLimit-* headers). */
  limit: number;
  remaining: number;
}

/**
 * Fixed-window request counters shared by every API instance through PostgreSQL.
 * Each instance counts locally and, every `flushMs`, adds its counts to `rate_limit_counter`
 * in one statement and reads back the global totals; a decision uses the last global total
 * plus the local counts not yet flushed. So limits hold across instances within one flush
 * interval, without a write on every request's path.
 */
export class RateLimiter {
  private pending = new Map<string, number>();
  private global = new Map<string, number>();
  /** Counts being flushed right now: still counted until the database answers with the new totals. */
  private inFlight = new Map<string, number>();
  private timer: NodeJS.Timeout;
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly orm: MikroORM,
    private readonly log: Logger,
    private readonly windowSeconds = 60,
    flushMs = 1000,
  ) {
    this.timer = setInterval(() => void this.flush(), flushMs);
    this.timer.unref();
  }

  private window(now: number): number {
    return Math.floor(now / 1000 / this.windowSeconds);
  }

  hit(key: string, limit: number, now = Date.now()): RateDecision {
    const w = this.window(now);
    const k = `${key}|${w}`;
    const local = (this.pending.get(k) ?? 0) + 1;
    this.pending.set(k, local);
    const total = (this.global.get(k) ?? 0) + (this.inFlight.get(k) ?? 0) + local;
    const retryAfterSeconds = Math.max(1, Math.ceil((w + 1) * this.windowSeconds - now / 1000));
    return { allowed: total <= limit, retryAfterSeconds, limit, remaining: Math.max(0, limit - total) };
  }

  /** Adds local counts to the shared table and refreshes the global totals. */
  flush(): Promise<void> {
    this.flushing ??= this.doFlush().finally(() => (this.flushing = null));
    return this.flushing;
  }

  private async doFlush(): Promise<void> {
    const current = this.window(Date.now());
    for (const k of this.global.keys()) if (Number(k.split('|').pop()) < current - 1) this.global.delete(k);
    if (this.pending.size === 0) return;
    const batch = [...this.pending];
    this.inFlight = this.pending;
    this.pending = new Map();
    try {
      const rows: { key: string; window: number; count: number }[] = await this.orm.em.fork().getConnection().execute(
        `insert into rate_limit_counter (key, "window", count)
         values ${batch.map(() => '(?, ?, ?)').join(', ')}
         on conflict (key, "window") do update set count = rate_limit_counter.count + excluded.count
         returning key, "window"::int as window, count`,
        batch.flatMap(([k, n]) => [k.slice(0, k.lastIndexOf('|')), Number(k.split('|').pop()), n]),
      );
      for (const r of rows) this.global.set(`${r.key}|${r.window}`, r.count);
      if (Math.random() < 0.01) await this.orm.em.fork().getConnection().execute(`delete from rate_limit_counter where "window" < ?`, [current - 2]);
    } catch (err) {
      // Keep the counts for the next attempt; a database outage must not lose them or fail requests.
      for (const [k, n] of batch) this.pending.set(k, (this.pending.get(k) ?? 0) + n);
      this.log.warn({ err }, 'rate-limit flush failed');
    } finally {
      this.inFlight = new Map();
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
