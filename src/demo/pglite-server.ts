// Serves one PGlite instance on a loopback TCP port so the ordinary `pg` code path runs
// unchanged. Why not PGLiteSocketServer: PGlite is a single backend session, and that server
// (0.2.x) interleaves the messages of different connections one protocol message at a time, so
// two pooled clients corrupt each other's unnamed prepared statements ("bind message supplies 1
// parameters, but prepared statement "" requires 2", pglite issue #1046). Here a connection
// owns the session from its first message until PGlite is idle again (after Sync or a simple
// Query, outside a transaction block), so any pool size works. What still leaks between
// connections, as in any shared session: SET values and named prepared statements.
import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const SYNC = Uint8Array.from([0x53, 0, 0, 0, 4]);

/** A FIFO mutex with an owner, handed straight to the next waiter so nobody can cut in. */
class SessionLock {
  private owner: object | null = null;
  private readonly waiters: { who: object; wake: () => void }[] = [];

  async acquire(who: object): Promise<void> {
    if (this.owner === who) return;
    if (this.owner === null) { this.owner = who; return; }
    await new Promise<void>((wake) => this.waiters.push({ who, wake }));
  }

  release(who: object): void {
    if (this.owner !== who) return;
    const next = this.waiters.shift();
    this.owner = next?.who ?? null;
    next?.wake();
  }

  holds(who: object): boolean { return this.owner === who; }
}

export interface PgliteServer {
  port: number;
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  close(): Promise<void>;
}

export async function servePglite(db: PGlite, opts: { host?: string; port?: number } = {}): Promise<PgliteServer> {
  const host = opts.host ?? '127.0.0.1';
  const lock = new SessionLock();
  const sockets = new Set<Socket>();

  const run = (message: Uint8Array, onData: (data: Uint8Array) => void): Promise<void> =>
    db.runExclusive(() => db.execProtocolRawStream(message, { onRawData: onData }));

  function attach(socket: Socket): void {
    sockets.add(socket);
    socket.setNoDelay(true);
    const me = {};
    let buffer: Buffer = Buffer.alloc(0);
    let started = false;
    let midBatch = false;
    let closed = false;
    let chain = Promise.resolve();
    const write = (data: Uint8Array): void => { if (!socket.destroyed && data.length > 0) socket.write(data); };

    const handle = async (message: Buffer, type: number | null): Promise<void> => {
      if (closed) return;
      await lock.acquire(me);
      if (closed) return;  // cleanup (queued behind us) releases the lock
      await run(new Uint8Array(message), write);
      if (type === null || type === 0x53 /* S */ || type === 0x51 /* Q */) {
        midBatch = false;
        if (!db.isInTransaction()) lock.release(me);
      } else {
        midBatch = true;
      }
    };

    // A client that vanishes mid-batch or mid-transaction must not leave the session to the next one.
    const cleanup = async (): Promise<void> => {
      if (!lock.holds(me)) return;
      try {
        if (midBatch) await run(SYNC, () => undefined);
        if (db.isInTransaction()) await db.runExclusive(() => db.execProtocolRaw(simpleQuery('ROLLBACK')));
      } catch { /* the session is reset by the next Sync anyway */ }
      lock.release(me);
    };

    // PGlite throwing (rather than answering with an ErrorResponse) leaves the protocol state
    // unknown: drop the connection; cleanup resets the session for the next client.
    const enqueue = (message: Buffer, type: number | null): void => {
      chain = chain.then(() => handle(message, type)).catch(() => { socket.destroy(); onClose(); });
    };

    const onClose = (): void => {
      if (closed) return;
      closed = true;
      sockets.delete(socket);
      chain = chain.then(cleanup, cleanup);
    };

    socket.on('data', (chunk: Buffer) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      for (;;) {
        if (!started) {
          if (buffer.length < 8) return;
          const length = buffer.readInt32BE(0);
          if (buffer.length < length) return;
          const code = buffer.readInt32BE(4);
          const message = buffer.subarray(0, length);
          buffer = buffer.subarray(length);
          if (code === SSL_REQUEST || code === GSS_REQUEST) { socket.write('N'); continue; }
          if (code === CANCEL_REQUEST) { socket.end(); return; }  // cancel is not supported
          started = true;
          enqueue(Buffer.from(message), null);
          continue;
        }
        if (buffer.length < 5) return;
        const length = buffer.readInt32BE(1) + 1;
        if (buffer.length < length) return;
        const type = buffer[0]!;
        const message: Buffer = Buffer.from(buffer.subarray(0, length));
        buffer = buffer.subarray(length);
        if (type === 0x58 /* X: Terminate */) { socket.end(); onClose(); return; }
        enqueue(message, type);
      }
    });
    socket.on('error', () => { socket.destroy(); onClose(); });
    socket.on('close', onClose);
  }

  const server: Server = createServer(attach);
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });

  return {
    port,
    url: `postgres://postgres@${host}:${port}/postgres`,
    async close() {
      const closing = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closing;
    },
  };
}

/** A simple-protocol Query message ('Q', length, text, NUL). */
function simpleQuery(sql: string): Uint8Array {
  const text = Buffer.from(`${sql}\0`, 'utf8');
  const message = Buffer.alloc(5 + text.length);
  message[0] = 0x51;
  message.writeInt32BE(4 + text.length, 1);
  text.copy(message, 5);
  return new Uint8Array(message);
}
