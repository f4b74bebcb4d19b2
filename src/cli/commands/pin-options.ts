/** Option parsing shared by `pin` and `pinning`. */
import { readFileSync } from 'node:fs';
import { UsageError } from '../../util/errors.js';

export const collect = (v: string, prev: string[] = []) => [...prev, v];

export function intOption(name: string, min: number, max: number) {
  return (v: string) => {
    const n = Number(v);
    if (!/^\d+$/.test(v.trim()) || n < min || n > max) throw new UsageError(`${name} must be a whole number from ${min} to ${max}, not "${v}"`);
    return n;
  };
}

export function readCaFiles(files: string[] = []): string[] | undefined {
  if (!files.length) return undefined;
  return files.map((f) => {
    try { return readFileSync(f, 'utf8'); } catch (e) { throw new UsageError(`--ca ${f}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`); }
  });
}

export function dateOption(name: string) {
  return (v: string) => {
    const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
    if (Number.isNaN(d.getTime())) throw new UsageError(`${name} must be a date like 2027-01-31, not "${v}"`);
    return d;
  };
}

export const isoDay = (d: Date) => d.toISOString().slice(0, 10);
