import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * tlsdoctor's own version, from its package.json: the nearest one named
 * "tlsdoctor" above this module. The module runs from dist/src/util/ (tsc's
 * output, the library) and from dist/cli/ (the CLI bundle), so no fixed
 * relative path fits both.
 */
function packageVersion(): string {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    let text: string | undefined;
    try { text = readFileSync(join(dir, 'package.json'), 'utf8'); } catch { /* none here: look further up */ }
    if (text !== undefined) {
      const pkg = JSON.parse(text) as { name?: string; version?: string };
      if (pkg.name === 'tlsdoctor' && typeof pkg.version === 'string') return pkg.version;
    }
    if (dirname(dir) === dir) throw new Error(`tlsdoctor's package.json not found above ${start}`);
  }
}

export const VERSION: string = packageVersion();
