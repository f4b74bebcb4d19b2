import { createRequire } from 'node:module';

/** tlsdoctor's own version, from package.json (dist/src/util -> repo root). */
export const VERSION: string = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;
