/** ANSI styling that turns itself off when colour is not wanted (not a TTY, NO_COLOR, --no-color). */
export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  cyan(s: string): string;
}

const wrap = (on: boolean, open: number, close: number) => (s: string) => (on ? `\u001b[${open}m${s}\u001b[${close}m` : s);

export function makeStyle(color: boolean): Style {
  return {
    bold: wrap(color, 1, 22),
    dim: wrap(color, 2, 22),
    red: wrap(color, 31, 39),
    yellow: wrap(color, 33, 39),
    green: wrap(color, 32, 39),
    cyan: wrap(color, 36, 39),
  };
}

/** Colour on when the stream is a TTY and the user did not opt out (https://no-color.org). */
export function wantsColor(stream: { isTTY?: boolean }, flag?: boolean): boolean {
  if (flag === false) return false;
  if (process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

/** Pads to a visible width, ignoring ANSI escapes. */
export function pad(s: string, width: number): string {
  const visible = s.replace(/\u001b\[[0-9;]*m/g, '').length;
  return visible >= width ? s : s + ' '.repeat(width - visible);
}

/**
 * Output with the control characters a hostile peer can slip into what we
 * print (a certificate's subject, an HTTP header, a server's greeting)
 * made visible as \u00XX: an escape sequence from a server must not move the
 * cursor, retitle the window or rewrite the screen of whoever reads the
 * report. Kept: line ends (\n, \r\n), tabs, colour (SGR, ESC [ ... m) and
 * the progress line's own "\r ESC [2K" at the start of a write. The escape
 * is valid inside a JSON string too (JSON.stringify escapes C0 itself, not C1).
 */
export function terminalSafe(s: string): string {
  return s.replace(/^\r\u001b\[2K|\u001b\[[0-9;]*m|\r\n|[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g,
    (m) => (m.length > 1 ? m : `\\u${m.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** A stream whose text writes go through terminalSafe (bytes pass as they are); everything else is the stream's own. */
export function terminalSafeStream<T extends { write: (...args: never[]) => boolean }>(target: T): T {
  const safe = Object.create(target) as T;
  const write = target.write.bind(target) as (chunk: unknown, ...rest: unknown[]) => boolean;
  (safe as { write: unknown }).write = (chunk: unknown, ...rest: unknown[]) => write(typeof chunk === 'string' ? terminalSafe(chunk) : chunk, ...rest);
  return safe;
}
