// Serves one PGlite instance on a loopback TCP port so the ordinary `pg` code path runs
// unchanged. Why not PGLiteSocketServer: PGlite is a single backend session, and that server
// (0.2.x) interleaves the messages of different connections one protocol message at a time, so
// two pooled clients corrupt each other's unnamed prepared statements ("bind message supplies 1
// parameters, but prepared statement "" requires 2", pglite issue #1046). Here a connection
// owns the session from its first message until PGlite is idle again (after Sync or a simple
// Query, outside a transaction block), so any pool size works. Startup parameters and the login
// role are applied per connection (session-settings.ts), and a connection that waits for the session longer than
// its statement_timeout gets PostgreSQL's statement-timeout error (PGlite itself cannot time a
// running statement out). What still leaks between connections: SET statements a client runs
// itself, and named prepared statements.
import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { SessionLock } from './session-lock.js';
import { settingsChange, startupParameters, startupSettings } from './session-settings.js';
import { errorResponse, readyForQuery, simpleQuery, startupMessage, sync, timeoutMs } from './wire-messages.js';

const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const STATEMENT_TIMEOUT = errorResponse('57014', 'canceling statement due to statement timeout');

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

  // What the shared session is set to now, from the startup parameters of its last owner.
  let applied: ReadonlyMap<string, string> = new Map();
  /** Applies a connection's settings; returns false when its login role does not exist. */
  const applySettings = async (wanted: ReadonlyMap<string, string>): Promise<boolean> => {
    const change = settingsChange(applied, wanted);
    if (change === null) return true;
    try {
      await db.exec(change);
      applied = wanted;
      return true;
    } catch {
      // A value PGlite refuses: start from the defaults and keep whatever it accepts.
      await db.exec('RESET ALL').catch(() => undefined);
      const kept = new Map<string, string>();
      for (const [key, value] of wanted) {
        await db.exec(settingsChange(new Map(), new Map([[key, value]]))!).then(() => kept.set(key, value), () => undefined);
      }
      applied = kept;
      return !wanted.has('role') || kept.has('role');
    }
  };

  function attach(socket: Socket): void {
    sockets.add(socket);
    socket.setNoDelay(true);
    const me = {};
    let buffer: Buffer = Buffer.alloc(0);
    let started = false;
    let midBatch = false;
    let closed = false;
    let settings: ReadonlyMap<string, string> = new Map();
    let chain = Promise.resolve();
    const write = (data: Uint8Array): void => { if (!socket.destroyed && data.length > 0) socket.write(data); };

    // After a lock-wait timeout the rest of the batch is dropped until its Sync, as the backend does.
    let discarding = false;
    const handle = async (message: Buffer, type: number): Promise<void> => {
      if (closed) return;
      const endsBatch = type === 0x53 /* S */ || type === 0x51 /* Q */;
      if (discarding) {
        if (type === 0x53) { discarding = false; write(readyForQuery()); }
        return;
      }
      const got = await lock.acquire(me, timeoutMs(settings.get('statement_timeout')));
      if (got === 'timeout') {
        write(STATEMENT_TIMEOUT);
        if (endsBatch) write(readyForQuery());
        else discarding = true;
        return;
      }
      if (closed) return;  // cleanup (queued behind us) releases the lock
      if (got === 'passed' && !(await applySettings(settings))) {
        // PostgreSQL refuses an unknown login at connect; here it shows at the first statement.
        write(errorResponse('28000', `role "${settings.get('role')}" does not exist`, 'FATAL'));
        socket.end();
        onClose();
        return;
      }
      await run(new Uint8Array(message), write);
      if (endsBatch) {
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
        if (midBatch) await run(sync(), () => undefined);
        if (db.isInTransaction()) await db.runExclusive(() => db.execProtocolRaw(simpleQuery('ROLLBACK')));
      } catch { /* the session is reset by the next Sync anyway */ }
      lock.release(me);
    };

    // PGlite throwing (rather than answering with an ErrorResponse) leaves the protocol state
    // unknown: drop the connection; cleanup resets the session for the next client.
    const enqueue = (message: Buffer, type: number): void => {
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
          // PGlite has exactly one database: any other name is refused as PostgreSQL would.
          const database = startupParameters(message).get('database') ?? 'postgres';
          if (database !== 'postgres') {
            write(errorResponse('3D000', `database "${database}" does not exist`, 'FATAL'));
            socket.end();
            return;
          }
          settings = startupSettings(message);
          // Answered without the session: connecting never waits for another client's transaction.
          write(startupReply);
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

  // PGlite's answer to a StartupMessage (AuthenticationOk, ParameterStatus…, BackendKeyData,
  // ReadyForQuery), taken once while idle and replayed to every connection.
  const startupReply = Buffer.from(await db.runExclusive(() => db.execProtocolRaw(startupMessage())));
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
