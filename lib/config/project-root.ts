import fs from 'node:fs';
import path from 'node:path';

/**
 * The directory Portico was built in, where the files it reads at run time live (`locales/`). The
 * custom server knows it from its bundle's place (server.ts) and sets it before anything else loads;
 * Next's bundles, loaded later in the same process, read it from globalThis (one value across bundles).
 * Elsewhere (tests, benchmarks, `next build`) it is the nearest directory at or above the working directory
 * that holds a package.json.
 */
const KEY = '__porticoProjectRoot';
type Holder = { [KEY]?: string };

export function setProjectRoot(dir: string): void {
  (globalThis as Holder)[KEY] = dir;
}

export function projectRoot(): string {
  const holder = globalThis as Holder;
  if (holder[KEY]) return holder[KEY];
  let dir = process.cwd();
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) {
      dir = process.cwd();
      break;
    }
    dir = up;
  }
  holder[KEY] = dir;
  return dir;
}
