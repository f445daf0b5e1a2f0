// Text from the database and from logs is hostile until proven otherwise: a task name or an error
// can carry escape sequences that retitle the window, clear the screen, move the cursor or
// reorder text (bidi controls). Everything that reaches the terminal goes through here first.
//
// - complete escape sequences (CSI, OSC, DCS/SOS/PM/APC, 2-byte ESC, 8-bit C1 forms) are removed;
// - any control character left is shown harmlessly: C0 as its control picture (ESC → ␛, BEL → ␇,
//   NUL → ␀), DEL as ␡, C1 and lone surrogates as U+FFFD; bidi overrides are dropped;
// - single-line text collapses newlines and tabs into one space; multi-line keeps `\n`;
// - the input is cut BEFORE any of this, so a 1 MB error costs the same as a 4 KB one.

export interface SanitizeOptions {
  /** Keep line breaks (CR, CRLF, U+2028/2029 and NEL all become `\n`). Default false. */
  multiline?: boolean;
  /** Longest output in UTF-16 units; longer text ends with `…`. Default 1000, or 65 536 for multiline. */
  maxLength?: number;
  /** Multi-line only: tab stops every N columns. Default 4. */
  tabWidth?: number;
}

// OSC: ESC ] ... (BEL | ESC \), also with 8-bit introducer/terminator.
const osc = /(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)/g;
// DCS, SOS, PM, APC: ESC P / X / ^ / _ ... ST.
const stringSeq = /(?:\x1b[PX^_]|[\x90\x98\x9e\x9f])[^\x1b\x9c\x07]*(?:\x1b\\|\x9c|\x07)/g;
// CSI: ESC [ params intermediates final (7- and 8-bit).
const csi = /(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]/g;
// Other escape sequences: ESC, intermediates, final (ESC c, ESC 7, ESC ( B, ...).
const shortEsc = /\x1b[\x20-\x2f]*[\x30-\x7e]/g;

const hasEscape = /[\x1b\x90-\x9f]/;
const hazards = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const hasHazard = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff\u2028\u2029]/;
const markRun = /(\p{M}{4})\p{M}+/gu;
const hasMarks = /\p{M}{5}/u;

function replaceHazard(ch: string): string {
  const c = ch.charCodeAt(0);
  if (c < 0x20) return String.fromCharCode(0x2400 + c);
  if (c === 0x7f) return '\u2421';
  if (c >= 0x80 && c <= 0x9f) return '\ufffd';
  if (c >= 0xd800 && c <= 0xdfff) return '\ufffd';
  return ''; // bidi controls, BOM
}

function expandTabs(line: string, tabWidth: number): string {
  if (!line.includes('\t')) return line;
  let out = '';
  for (const ch of line) {
    if (ch === '\t') out += ' '.repeat(tabWidth - (out.length % tabWidth));
    else out += ch;
  }
  return out;
}

function cap(text: string, maxLength: number, wasCut: boolean): string {
  if (text.length <= maxLength && !wasCut) return text;
  let end = Math.min(text.length, Math.max(0, maxLength - 1));
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1; // never leave half a surrogate pair
  return text.slice(0, end) + '…';
}

/** Make any value safe to print: see the file comment for what happens to what. */
export function sanitize(input: unknown, options: SanitizeOptions = {}): string {
  const multiline = options.multiline ?? false;
  const maxLength = Math.max(1, options.maxLength ?? (multiline ? 65_536 : 1000));
  const tabWidth = Math.max(1, options.tabWidth ?? 4);
  if (input === null || input === undefined) return '';
  let text = typeof input === 'string' ? input : String(input);

  // Cut first. Escapes are removed below, so keep some slack for them.
  const rawCap = maxLength * 4 + 64;
  const wasCut = text.length > rawCap;
  if (wasCut) text = text.slice(0, rawCap);

  if (hasEscape.test(text)) {
    text = text.replace(osc, '').replace(stringSeq, '').replace(csi, '').replace(shortEsc, '');
  }
  if (text.includes('\r') || text.includes('\u2028') || text.includes('\u2029') || text.includes('\x85')) {
    text = text.replace(/\r\n?|[\u2028\u2029\x85]/g, '\n');
  }
  if (multiline) {
    if (text.includes('\t')) text = text.split('\n').map((l) => expandTabs(l, tabWidth)).join('\n');
  } else if (/[\n\t]/.test(text)) {
    text = text.replace(/[ \t]*[\n\t][ \t\n]*/g, ' ').trim();
  }
  if (hasHazard.test(text)) {
    text = text.replace(hazards, (ch) => (ch === '\n' ? ch : replaceHazard(ch)));
  }
  if (hasMarks.test(text)) text = text.replace(markRun, '$1');
  return cap(text, maxLength, wasCut);
}

/** One table cell's worth: single line, whitespace runs with line breaks collapsed, capped. */
export function sanitizeLine(input: unknown, maxLength = 1000): string {
  return sanitize(input, { maxLength });
}

/** The first non-blank line of (possibly huge, multi-line) text, sanitised and trimmed. */
export function firstLine(input: unknown, maxLength = 1000): string {
  if (input === null || input === undefined) return '';
  const raw = typeof input === 'string' ? input : String(input);
  // Only the first few lines can matter: look at a bounded head.
  const text = sanitize(raw, { multiline: true, maxLength: maxLength * 2 + 256 });
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed !== '') return cap(trimmed, maxLength, false);
  }
  return '';
}

/** Many lines (detail views): line breaks kept, everything else as `sanitize`. */
export function sanitizeMultiline(input: unknown, maxLength = 65_536): string {
  return sanitize(input, { multiline: true, maxLength });
}
