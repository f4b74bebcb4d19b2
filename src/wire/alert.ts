/** Alert messages (RFC 8446 §6, RFC 5246 §7.2). */
import { WireError } from '../util/errors.js';
import { alertName } from './constants.js';

export interface Alert {
  /** 1 = warning, 2 = fatal (TLS 1.3 ignores the level; older servers use both). */
  level: number;
  description: number;
  /** Name from the alert registry, or 'unknown(N)'. */
  name: string;
}

/** Parses one alert: a fragment of exactly 2 bytes (level, description). */
export function parseAlert(fragment: Uint8Array): Alert {
  if (fragment.length !== 2) throw new WireError(`alert must be 2 bytes, got ${fragment.length}`);
  const level = fragment[0]!, description = fragment[1]!;
  return { level, description, name: alertName(description) };
}

/**
 * Whether an alert ends the handshake. A warning-level alert other than
 * close_notify does not (RFC 5246 §7.2): servers with name-based virtual hosts
 * (OpenSSL's SNI callback, Apache, ...) send a warning unrecognized_name
 * (RFC 6066 §3) and then go on with their ServerHello, sometimes in the same
 * TCP segment and sometimes not. A probe should keep reading after such an alert.
 */
export function alertEndsHandshake(a: Pick<Alert, 'level' | 'description'>): boolean {
  return a.level !== 1 || a.description === 0;
}

/** Parses the alerts in a plaintext alert record (several 2-byte alerts may share one record). */
export function parseAlerts(fragment: Uint8Array): Alert[] {
  if (fragment.length === 0 || fragment.length % 2 !== 0) {
    throw new WireError(`alert record of ${fragment.length} byte(s) is not a whole number of alerts`);
  }
  const out: Alert[] = [];
  for (let i = 0; i < fragment.length; i += 2) out.push(parseAlert(fragment.subarray(i, i + 2)));
  return out;
}

/** A plaintext alert record, for tests and scripted servers. */
export function buildAlertRecord(level: number, description: number, recordVersion = 0x0303): Uint8Array {
  return Uint8Array.of(21, recordVersion >> 8, recordVersion & 0xff, 0, 2, level, description);
}
