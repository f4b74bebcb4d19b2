/** All client profiles, lookup and selection ("dotnet,java-17": ids or family/id prefixes). */
import { UsageError } from '../../util/errors.js';
import type { ClientProfile } from './types.js';
import { WINDOWS_PROFILES } from './windows.js';
import { JAVA_PROFILES } from './java.js';
import { UNIX_PROFILES } from './unix.js';
import { MOBILE_BROWSER_PROFILES } from './mobile-browsers.js';

export * from './types.js';

export const CLIENT_PROFILES: readonly ClientProfile[] = [
  ...WINDOWS_PROFILES, ...JAVA_PROFILES, ...UNIX_PROFILES, ...MOBILE_BROWSER_PROFILES,
];

const BY_ID = new Map(CLIENT_PROFILES.map((p) => [p.id, p]));

export function clientProfileById(id: string): ClientProfile | undefined {
  return BY_ID.get(id);
}

/**
 * Parses a --clients value: comma-separated profile ids ("java-17"), families ("dotnet",
 * "browser") or id prefixes ("java", "android-1"); "all" for every profile. Order of first
 * mention is kept, duplicates dropped. Unknown names throw UsageError listing what exists.
 */
export function parseClientSelection(value: string, profiles: readonly ClientProfile[] = CLIENT_PROFILES): ClientProfile[] {
  const items = value.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s.length > 0);
  if (items.length === 0) throw new UsageError('--clients needs at least one client id or family (see `tlsdoctor clients`)');
  const out: ClientProfile[] = [];
  const seen = new Set<string>();
  const add = (p: ClientProfile) => { if (!seen.has(p.id)) { seen.add(p.id); out.push(p); } };
  for (const item of items) {
    if (item === 'all') { profiles.forEach(add); continue; }
    const exact = profiles.find((p) => p.id === item);
    if (exact) { add(exact); continue; }
    const matches = profiles.filter((p) => p.family === item || p.id.startsWith(item.endsWith('-') ? item : `${item}-`) || p.id.startsWith(item));
    if (matches.length === 0) {
      const families = [...new Set(profiles.map((p) => p.family))].join(', ');
      throw new UsageError(`unknown client "${item}": use an id from \`tlsdoctor clients\` or a family (${families})`);
    }
    matches.forEach(add);
  }
  return out;
}
