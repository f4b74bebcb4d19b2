/**
 * Errors that the CLI maps to exit codes. Anything else that escapes a command
 * is a bug and is reported as an internal error (exit 70), still on one line.
 */

/** Exit codes shared by every command (see docs/ARCHITECTURE.md). */
export const ExitCode = {
  ok: 0,
  findings: 1,
  badInput: 2,
  unreachable: 3,
  internal: 70,
} as const;

/** Bad input from the user: a malformed target, a missing file, a bad flag value. Exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The target could not be reached at all (DNS failure, refused, timed out). Exit 3. */
export class UnreachableError extends Error {
  override name = 'UnreachableError';
}

/**
 * For an unreachable target: a note when the environment names an HTTP(S)
 * proxy, which tlsdoctor does not use unless told (`--proxy`): on a network
 * that only lets a proxy out, that is why. '' otherwise.
 */
export function proxyNote(env: NodeJS.ProcessEnv = process.env, viaProxy = false): string {
  if (viaProxy) return '';
  const name = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'].find((k) => env[k]);
  if (!name) return '';
  let where = env[name]!;
  try { const u = new URL(where); where = `${u.protocol}//${u.host}`; } catch { /* shown as set, credentials or not */ where = 'set'; }
  return ` (${name} is ${where === 'set' ? 'set' : where}: tlsdoctor connects directly unless given --proxy env or --proxy URL)`;
}

/** Malformed bytes on the wire. Thrown by wire/ parsers, never escapes a probe. */
export class WireError extends Error {
  override name = 'WireError';
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** One line from a Node/OpenSSL error: "sslv3 alert handshake failure (SSL alert number 40)". */
export function tidyTlsError(message: string): string {
  const m = message.replace(/\s+/g, ' ').trim();
  const reason = m.match(/error:[0-9A-Fa-f]+:SSL routines:[^:]*:([^:]+)/);
  const alert = m.match(/SSL alert number (\d+)/);
  if (!reason) return m;
  return `${reason[1]!.trim()}${alert ? ` (SSL alert number ${alert[1]})` : ''}`;
}
