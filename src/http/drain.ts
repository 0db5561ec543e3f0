import type { FastifyInstance } from 'fastify';
import { graphqlError } from './replies';

/**
 * Graceful drain for SIGTERM. Once `begin()` is called: every response (in flight or not) carries
 * `Connection: close`, so its socket closes after the answer; a new request arriving on an open
 * keep-alive socket is answered 503 (retryable, nothing executed) instead of being started; idle
 * sockets are closed by the server's close(). So the number of requests in flight only falls and
 * the server closes when it reaches 0, with every request it started answered.
 */
export class Drain {
  private draining = false;
  private inFlight = 0;
  private unfinished = 0;
  private refused = 0;
  private waiters: (() => void)[] = [];

  install(app: FastifyInstance): void {
    app.addHook('onRequest', (_request, reply, done) => {
      this.inFlight++;
      reply.raw.once('close', () => {
        if (!reply.raw.writableFinished) this.unfinished++;
        if (--this.inFlight === 0) this.waiters.splice(0).forEach((w) => w());
      });
      if (!this.draining) return done();
      this.refused++;
      void reply
        .code(503)
        .header('connection', 'close')
        .header('retry-after', '1')
        .send(graphqlError('The server is shutting down; retry the request.', 'SERVICE_UNAVAILABLE', { retryable: true }));
    });
    app.addHook('onSend', (_request, reply, payload, done) => {
      if (this.draining) reply.header('connection', 'close');
      done(null, payload);
    });
  }

  get isDraining(): boolean {
    return this.draining;
  }

  begin(): void {
    this.draining = true;
  }

  /** Resolves when no request is in flight, or after `ms`. */
  idle(ms: number): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Requests in flight, answered 503 during the drain, and responses whose connection closed before they were sent. */
  stats(): { inFlight: number; refused: number; unfinished: number } {
    return { inFlight: this.inFlight, refused: this.refused, unfinished: this.unfinished };
  }
}
