import net from 'node:net';
import type { Config } from './config';

/** Fails fast, before the database starts, when the HTTP port is taken (the real listen reports it the same way). */
export function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}

/** One line that says what went wrong and what to do. */
export function startFailureMessage(e: unknown, config: Config): string {
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'EADDRINUSE') return `port ${config.port} on ${config.host} is already in use: stop the process using it or set PORT to a free port.`;
  if (err?.code === 'EACCES' && err.syscall === 'listen') return `not allowed to listen on port ${config.port}: use a port above 1023 (PORT) or grant the capability.`;
  if (err?.code === 'EADDRNOTAVAIL') return `HOST=${config.host} is not an address of this machine.`;
  return String(err?.message ?? e).split('\n')[0];
}
