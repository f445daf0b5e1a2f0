// A TCP proxy in front of the real PostgreSQL, for "the database goes away" drills that must not
// stop the server everyone else's tests use. Point the console at `proxy.port`:
//
//   const proxy = await startTcpProxy({ targetPort: 5432 });
//   proxy.cut();        // every open connection is destroyed; new ones are refused (reset)
//   proxy.restore();    // new connections are forwarded again
//   await proxy.close();
//
// While cut, the listening socket stays bound (the port cannot be taken by anyone else) and
// incoming connections are reset at once, which a client sees as ECONNRESET, much like a server
// that has gone away.
import net from 'node:net';

export interface TcpProxy {
  port: number;
  /** Connections currently forwarded. */
  readonly open: number;
  /** Connections accepted and forwarded since start. */
  readonly accepted: number;
  readonly isCut: boolean;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(opts: { targetPort?: number; targetHost?: string } = {}): Promise<TcpProxy> {
  const targetPort = opts.targetPort ?? 5432;
  const targetHost = opts.targetHost ?? '127.0.0.1';
  const pairs = new Set<[net.Socket, net.Socket]>();
  let isCut = false;
  let accepted = 0;

  const server = net.createServer((client) => {
    client.on('error', () => undefined);
    if (isCut) {
      client.resetAndDestroy();
      return;
    }
    accepted++;
    const upstream = net.connect({ port: targetPort, host: targetHost });
    upstream.on('error', () => undefined);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    const end = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;

  const destroyAll = (): void => {
    for (const [client, upstream] of pairs) {
      client.resetAndDestroy();
      upstream.destroy();
    }
    pairs.clear();
  };

  return {
    port,
    get open() { return pairs.size; },
    get accepted() { return accepted; },
    get isCut() { return isCut; },
    cut() {
      isCut = true;
      destroyAll();
    },
    restore() {
      isCut = false;
    },
    close() {
      isCut = true;
      destroyAll();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
