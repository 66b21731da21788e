/**
 * Portico's server: `npm start` runs the bundle of this file (`.next/portico-server/server.mjs`, built
 * with `next build` by scripts/build-state.mjs). See lib/server/main.ts.
 *
 * React and Next choose their production builds from NODE_ENV when first loaded, so it is set before
 * anything imports them (the rest of the server is a separate chunk, loaded below).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setProjectRoot } from './lib/config/project-root';

(process.env as Record<string, string | undefined>).NODE_ENV = 'production';
process.env.NEXT_TELEMETRY_DISABLED ??= '1';

// The bundle lives two levels below the project (`.next/portico-server/`); tsx runs this file in place.
const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.basename(here) === 'portico-server' ? path.resolve(here, '..', '..') : here;
// Where the files read at run time (locales/) live, for this bundle and Next's alike.
setProjectRoot(dir);

// PORTICO_PROCESSES > 1: this process only supervises, so it loads the server only in its workers.
const { runProcesses } = await import('./lib/server/cluster');
await runProcesses(async () => {
  const { main } = await import('./lib/server/main');
  await main({ dir });
});
