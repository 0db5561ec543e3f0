import net from 'node:net';

/**
 * A TCP proxy between the API and PostgreSQL that can black-hole traffic: paused, it neither
 * forwards nor refuses anything (bytes wait in socket buffers, new connections are accepted but not
 * connected onward), as in a network partition; resumed, everything flows again, like TCP
 * retransmissions after the partition heals.
 */
export interface PausableProxy {
  /** `url` with its host and port replaced by the proxy's. */
  route(url: string): string;
  pause(): void;
  resume(): void;
  close(): Promise<void>;
}

export async function startPausableProxy(target: string): Promise<PausableProxy> {
  const { hostname, port } = new URL(target);
  let paused = false;
  const sockets = new Set<net.Socket>();
  const waiting: (() => void)[] = [];
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    if (paused) s.pause();
  };
  const forward = (from: net.Socket, to: net.Socket) => {
    from.on('data', (chunk) => to.write(chunk));
    from.on('end', () => to.end());
    from.on('close', () => to.destroy());
  };
  const server = net.createServer((client) => {
    track(client);
    const connect = () => {
      if (client.destroyed && client.readableEnded) return;
      const upstream = net.connect(Number(port || 5432), hostname);
      track(upstream);
      forward(client, upstream);
      forward(upstream, client);
    };
    if (paused) waiting.push(connect);
    else connect();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxyPort = (server.address() as net.AddressInfo).port;
  return {
    route(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(proxyPort);
      return u.toString();
    },
    pause() {
      paused = true;
      for (const s of sockets) s.pause();
    },
    resume() {
      paused = false;
      for (const s of sockets) s.resume();
      waiting.splice(0).forEach((connect) => connect());
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
