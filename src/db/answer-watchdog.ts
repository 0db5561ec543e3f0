import net from 'node:net';

/** ReadyForQuery: 'Z', length 5, transaction status; the last message of every exchange with the server. */
const READY_FOR_QUERY = [0x5a, 0, 0, 0, 5];

/** The error a socket is destroyed with when the server stays silent; classified as "database unavailable". */
export class DatabaseSilentError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(ms: number) {
    super(`The database did not answer within ${ms} ms (DB_ANSWER_TIMEOUT_MS); the connection was closed.`);
  }
}

function endsWithReadyForQuery(tail: Buffer): boolean {
  if (tail.length < 6) return false;
  const at = tail.length - 6;
  return READY_FOR_QUERY.every((b, i) => tail[at + i] === b);
}

/**
 * A socket factory for `pg` (its `stream` option) that cuts a connection when the server has been
 * asked something and stays silent for `ms`: a partitioned or frozen server neither answers nor
 * refuses, and without this a request holding the connection waits as long as the partition lasts.
 * Idle pooled connections are left alone: the timer runs only between a write and the
 * ReadyForQuery that closes the exchange, and restarts on every chunk received meanwhile.
 * Destroying the socket (rather than abandoning the query, as pg's query_timeout does) keeps a
 * half-done transaction from ever being reused: the server rolls it back when the socket closes.
 */
export function watchedSocketFactory(ms: number): () => net.Socket {
  return () => {
    const socket = new net.Socket();
    let timer: NodeJS.Timeout | undefined;
    let tail = Buffer.alloc(0);
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => socket.destroy(new DatabaseSilentError(ms)), ms);
      timer.unref();
    };
    // net.Socket#connect resets an own `write`, so it is wrapped once connected (before pg's own
    // 'connect' listener, registered later, sends the startup message).
    socket.once('connect', () => {
      const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
      socket.write = ((...args: unknown[]) => {
        if (!timer) arm();
        return write(...args);
      }) as typeof socket.write;
    });
    socket.on('data', (chunk: Buffer) => {
      tail = Buffer.concat([tail, chunk.subarray(Math.max(0, chunk.length - 6))]).subarray(-6);
      if (endsWithReadyForQuery(tail)) {
        clearTimeout(timer);
        timer = undefined;
      } else if (timer) arm();
    });
    socket.on('close', () => clearTimeout(timer));
    return socket;
  };
}
