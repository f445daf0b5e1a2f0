// Turns a stream of text chunks into whole lines. Chunks from a pipe or a file read end
// anywhere, so the unfinished tail is carried over to the next chunk. A line longer than
// `maxChars` is cut there and the rest of it is skipped up to the next newline: one runaway
// line (a 1 MB JSON blob) costs bounded memory and never stalls the lines after it.

export interface SplitLine {
  text: string;
  /** True when the line was longer than maxChars and `text` holds only its beginning. */
  truncated: boolean;
}

export class LineSplitter {
  private partial = '';
  /** Set while we skip the remainder of an over-long line. */
  private skipping = false;

  constructor(private readonly maxChars = 64 * 1024) {}

  push(chunk: string): SplitLine[] {
    const out: SplitLine[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf('\n', start);
      if (nl === -1) break;
      this.take(chunk.slice(start, nl), true, out);
      start = nl + 1;
    }
    if (start < chunk.length) this.take(chunk.slice(start), false, out);
    return out;
  }

  /** Whatever is left without a final newline (call when the stream ends). */
  flush(): SplitLine[] {
    const out: SplitLine[] = [];
    if (this.partial.length > 0 && !this.skipping) out.push({ text: stripCr(this.partial), truncated: false });
    this.partial = '';
    this.skipping = false;
    return out;
  }

  /** Forget the unfinished line (the file was truncated or rotated under us). */
  reset(): void {
    this.partial = '';
    this.skipping = false;
  }

  private take(piece: string, complete: boolean, out: SplitLine[]): void {
    if (this.skipping) {
      if (complete) this.skipping = false;
      return;
    }
    const joined = this.partial.length > 0 ? this.partial + piece : piece;
    if (joined.length > this.maxChars) {
      out.push({ text: joined.slice(0, this.maxChars), truncated: true });
      this.partial = '';
      this.skipping = !complete;
      return;
    }
    if (complete) {
      this.partial = '';
      out.push({ text: stripCr(joined), truncated: false });
    } else {
      this.partial = joined;
    }
  }
}

function stripCr(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}
