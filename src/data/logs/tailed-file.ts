// One followed log file. Polling `stat` rather than trusting fs.watch: watch events are lost on
// NFS and across renames, while a stat per interval sees every case the same way:
//  - first open: start with the last `backlog` lines (a days-old file is not replayed);
//  - inode changed (logrotate renamed it away): drain the old handle to its end, then read the
//    new file from its start;
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

export class TailedFile {
  readonly unit: string;
  private handle: FileHandle | null = null;
  private ino = -1;
  private dev = -1;
  private pos = 0;
  private everOpened = false;
  private readonly splitter: LineSplitter;
  private decoder = new StringDecoder('utf8');
  private readonly buf = Buffer.alloc(CHUNK);
  problem: string | null = null;

  constructor(
    readonly path: string,
    private readonly backlog: number,
    maxLineChars = 16 * 1024,
    private readonly maxBytesPerPoll = 8 * 1024 * 1024,
  ) {
    this.unit = fileUnitName(path);
    this.splitter = new LineSplitter(maxLineChars);
  }

  /** Reads whatever is new since the last poll. Never throws. */
  async poll(): Promise<RawLine[]> {
    const out: RawLine[] = [];
    let st;
    try {
      st = await stat(this.path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Renamed away and not yet recreated: keep what was written to the old file.
      if (this.handle) await this.drainAndClose(out);
      this.problem = code === 'ENOENT' ? `log file ${this.path} is missing (waiting for it to appear)` : `log file ${this.path}: ${code ?? String(error)}`;
      return out;
    }
    try {
      if (!this.handle || st.ino !== this.ino || st.dev !== this.dev) {
        if (this.handle) await this.drainAndClose(out);
        this.handle = await open(this.path, 'r');
        this.ino = st.ino;
        this.dev = st.dev;
        this.resetText();
        this.pos = this.everOpened ? 0 : await this.backlogStart(st.size);
        const backlogTime = this.everOpened ? Date.now() : st.mtimeMs;
        this.everOpened = true;
        await this.readTo(st.size, out, backlogTime);
      } else if (st.size < this.pos) {
        this.pos = 0;
        this.resetText();
        await this.readTo(st.size, out, Date.now());
      } else if (st.size > this.pos) {
        await this.readTo(st.size, out, Date.now());
      }
      this.problem = null;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      this.problem = code === 'EACCES' ? `log file ${this.path}: permission denied` : `log file ${this.path}: ${code ?? String(error)}`;
      await this.close();
    }
    return out;
  }

  async close(): Promise<void> {
    const h = this.handle;
    this.handle = null;
    await h?.close().catch(() => undefined);
  }

  private resetText(): void {
    this.splitter.reset();
    this.decoder = new StringDecoder('utf8');
  }

  private async drainAndClose(out: RawLine[]): Promise<void> {
    try {
      const st = await this.handle!.stat();
      await this.readTo(st.size, out, Date.now());
      this.emit(this.splitter.flush(), out, Date.now());
    } catch {
      // the old file is gone for good; nothing more to salvage
    }
    await this.close();
  }

  /** Reads [pos, size) in chunks, at most maxBytesPerPoll; the rest waits for the next poll. */
  private async readTo(size: number, out: RawLine[], fallbackTime: number): Promise<void> {
    let budget = this.maxBytesPerPoll;
    while (this.pos < size && budget > 0 && this.handle) {
      const want = Math.min(CHUNK, size - this.pos, budget);
      const { bytesRead } = await this.handle.read(this.buf, 0, want, this.pos);
      if (bytesRead === 0) break;
      this.pos += bytesRead;
      budget -= bytesRead;
      this.emit(this.splitter.push(this.decoder.write(this.buf.subarray(0, bytesRead))), out, fallbackTime);
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
  private async backlogStart(size: number): Promise<number> {
    if (this.backlog <= 0 || size === 0) return size;
    const limit = Math.max(0, size - 4 * 1024 * 1024);
    let end = size;
    let newlines = 0;
    // A final newline ends the last line; it does not start another.
    let skipFinal = true;
    while (end > limit) {
      const start = Math.max(limit, end - CHUNK);
      const { bytesRead } = await this.handle!.read(this.buf, 0, end - start, start);
      for (let i = bytesRead - 1; i >= 0; i--) {
        if (this.buf[i] !== 0x0a) { skipFinal = false; continue; }
        if (skipFinal) { skipFinal = false; continue; }
        if (++newlines === this.backlog) return start + i + 1;
      }
      end = start;
    }
    if (limit === 0) return 0;
    // Looked back as far as we allow: start at the first whole line inside the window.
    const { bytesRead } = await this.handle!.read(this.buf, 0, Math.min(CHUNK, size - limit), limit);
    const nl = this.buf.subarray(0, bytesRead).indexOf(0x0a);
    return nl === -1 ? size : limit + nl + 1;
  }
}
