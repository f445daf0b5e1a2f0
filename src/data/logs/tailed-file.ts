// One followed log file. Polling `stat` rather than trusting fs.watch: watch events are lost on
// NFS and across renames, while a stat per interval sees every case the same way:
//  - first open: start with the last `backlog` lines (a days-old file is not replayed);
//  - inode changed or the path is gone (logrotate renamed it away): keep reading the old handle
//    for a grace period, because the writer appends to the renamed file until it reopens, then
//    read the new file from its start (each poll reads the old file first: its lines came first);
//  - size below our position (copytruncate, `> file`): read again from the start;
//  - missing: say so and keep looking; it is picked up when it appears.
import { open, stat, type FileHandle } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import type { LogLine } from '../snapshot.js';
import { fileUnitName, guessPriority, parseLeadingTime } from './file-line.js';
import { capMessage } from './journal-parse.js';
import { LineSplitter } from './line-splitter.js';

export type RawLine = Omit<LogLine, 'seq'>;
const CHUNK = 64 * 1024;

/** One open handle of the file, how far it was read, and its unfinished line. */
interface OpenedFile {
  handle: FileHandle;
  pos: number;
  splitter: LineSplitter;
  decoder: StringDecoder;
}

export class TailedFile {
  readonly unit: string;
  private current: OpenedFile | null = null;
  private ino = -1;
  private dev = -1;
  private everOpened = false;
  /** The file logrotate renamed away, still read until `until`. */
  private rotated: { file: OpenedFile; until: number } | null = null;
  private readonly buf = Buffer.alloc(CHUNK);
  problem: string | null = null;

  constructor(
    readonly path: string,
    private readonly backlog: number,
    private readonly maxLineChars = 16 * 1024,
    private readonly maxBytesPerPoll = 8 * 1024 * 1024,
    private readonly rotationGraceMs = 5000,
  ) {
    this.unit = fileUnitName(path);
  }

  /** Reads whatever is new since the last poll. Never throws. */
  async poll(): Promise<RawLine[]> {
    const out: RawLine[] = [];
    await this.readRotated(out);
    let st;
    try {
      st = await stat(this.path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Renamed away and not yet recreated: the old file keeps being read for a while.
      await this.retireCurrent(out);
      this.problem = code === 'ENOENT' ? `log file ${this.path} is missing (waiting for it to appear)` : `log file ${this.path}: ${code ?? String(error)}`;
      return out;
    }
    try {
      if (!this.current || st.ino !== this.ino || st.dev !== this.dev) {
        if (this.current) {
          await this.retireCurrent(out);
          await this.readRotated(out);
        }
        const file = this.opened(await open(this.path, 'r'));
        this.current = file;
        this.ino = st.ino;
        this.dev = st.dev;
        file.pos = this.everOpened ? 0 : await this.backlogStart(file.handle, st.size);
        const backlogTime = this.everOpened ? Date.now() : st.mtimeMs;
        this.everOpened = true;
        await this.readTo(file, st.size, out, backlogTime);
      } else if (st.size < this.current.pos) {
        this.current = { ...this.opened(this.current.handle), pos: 0 };
        await this.readTo(this.current, st.size, out, Date.now());
      } else if (st.size > this.current.pos) {
        await this.readTo(this.current, st.size, out, Date.now());
      }
      this.problem = null;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      this.problem = code === 'EACCES' ? `log file ${this.path}: permission denied` : `log file ${this.path}: ${code ?? String(error)}`;
      await this.closeCurrent();
    }
    return out;
  }

  async close(): Promise<void> {
    await this.closeCurrent();
    const rotated = this.rotated;
    this.rotated = null;
    await rotated?.file.handle.close().catch(() => undefined);
  }

  private opened(handle: FileHandle): OpenedFile {
    return { handle, pos: 0, splitter: new LineSplitter(this.maxLineChars), decoder: new StringDecoder('utf8') };
  }

  private async closeCurrent(): Promise<void> {
    const file = this.current;
    this.current = null;
    await file?.handle.close().catch(() => undefined);
  }

  /** The current file was renamed away: read it on for the grace period (an older one ends now). */
  private async retireCurrent(out: RawLine[]): Promise<void> {
    if (!this.current) return;
    await this.readRotated(out, true);
    this.rotated = { file: this.current, until: Date.now() + this.rotationGraceMs };
    this.current = null;
  }

  /**
   * Reads what the writer added to the renamed file. Once the grace period is over, the file is
   * gone, or `last`: also its unfinished last line, and it is closed.
   */
  private async readRotated(out: RawLine[], last = false): Promise<void> {
    const rotated = this.rotated;
    if (!rotated) return;
    let gone = false;
    try {
      await this.readTo(rotated.file, (await rotated.file.handle.stat()).size, out, Date.now());
    } catch {
      gone = true; // nothing more to salvage
    }
    if (!last && !gone && Date.now() < rotated.until) return;
    this.rotated = null;
    this.emit(rotated.file.splitter.flush(), out, Date.now());
    await rotated.file.handle.close().catch(() => undefined);
  }

  /** Reads [pos, size) in chunks, at most maxBytesPerPoll; the rest waits for the next poll. */
  private async readTo(file: OpenedFile, size: number, out: RawLine[], fallbackTime: number): Promise<void> {
    let budget = this.maxBytesPerPoll;
    while (file.pos < size && budget > 0) {
      const want = Math.min(CHUNK, size - file.pos, budget);
      const { bytesRead } = await file.handle.read(this.buf, 0, want, file.pos);
      if (bytesRead === 0) break;
      file.pos += bytesRead;
      budget -= bytesRead;
      this.emit(file.splitter.push(file.decoder.write(this.buf.subarray(0, bytesRead))), out, fallbackTime);
    }
  }
  private emit(lines: { text: string; truncated: boolean }[], out: RawLine[], fallbackTime: number): void {
    for (const { text, truncated } of lines) {
      if (text.length === 0) continue;
      out.push({
        time: parseLeadingTime(text) ?? fallbackTime,
        unit: this.unit,
        host: null,
        priority: guessPriority(text),
        message: capMessage(truncated ? `${text} … [line truncated]` : text),
      });
    }
  }

  /** Offset where the last `backlog` lines start, looking back at most a few MB. */
  private async backlogStart(handle: FileHandle, size: number): Promise<number> {
    if (this.backlog <= 0 || size === 0) return size;
    const limit = Math.max(0, size - 4 * 1024 * 1024);
    let end = size;
    let newlines = 0;
    // A final newline ends the last line; it does not start another.
    let skipFinal = true;
    while (end > limit) {
      const start = Math.max(limit, end - CHUNK);
      const { bytesRead } = await handle.read(this.buf, 0, end - start, start);
      for (let i = bytesRead - 1; i >= 0; i--) {
        if (this.buf[i] !== 0x0a) { skipFinal = false; continue; }
        if (skipFinal) { skipFinal = false; continue; }
        if (++newlines === this.backlog) return start + i + 1;
      }
      end = start;
    }
    if (limit === 0) return 0;
    // Looked back as far as we allow: start at the first whole line inside the window.
    const { bytesRead } = await handle.read(this.buf, 0, Math.min(CHUNK, size - limit), limit);
    const nl = this.buf.subarray(0, bytesRead).indexOf(0x0a);
    return nl === -1 ? size : limit + nl + 1;
  }
}
