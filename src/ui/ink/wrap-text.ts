// Ink's wrap-text.js with a bounded cache (see bounded-cache.ts); same results. The build
// (scripts/bundle.mjs) puts this module where Ink imports './wrap-text.js'.
import wrapAnsi from 'wrap-ansi';
import cliTruncate from 'cli-truncate';
import { BoundedCache } from '../../text/bounded-cache.js';

export const wrapCache = new BoundedCache<string>(2000);

export default function wrapText(text: string, maxWidth: number, wrapType: string): string {
  const key = `${text}${maxWidth}${wrapType}`;
  const cached = wrapCache.get(key);
  if (cached !== undefined) return cached;
  let wrapped = text;
  if (wrapType === 'wrap') wrapped = wrapAnsi(text, maxWidth, { trim: false, hard: true });
  if (wrapType.startsWith('truncate')) {
    const position = wrapType === 'truncate-middle' ? 'middle' : wrapType === 'truncate-start' ? 'start' : 'end';
    wrapped = cliTruncate(text, maxWidth, { position });
  }
  wrapCache.set(key, wrapped);
  return wrapped;
}
