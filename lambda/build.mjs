// Bundles each trigger in lambda/ into one self-contained ES module per function:
// dist/lambda/<name>/index.mjs (handler `index.handler`), and a zip beside it when `zip` is installed.
// Usage: node lambda/build.mjs [outdir]
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const FUNCTIONS = ['sso-define', 'sso-create', 'sso-verify', 'pre-token'];

const here = path.dirname(fileURLToPath(import.meta.url));

export async function buildTriggers(outdir = path.join(here, '..', 'dist', 'lambda'), { zip = true } = {}) {
  const out = {};
  for (const name of FUNCTIONS) {
    const dir = path.join(outdir, name);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'index.mjs');
    await build({
      entryPoints: [path.join(here, `${name}.ts`)],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      outfile: file,
      legalComments: 'none',
      logLevel: 'warning',
    });
    out[name] = file;
    if (zip) zipDir(dir, path.join(outdir, `${name}.zip`));
  }
  return out;
}

function zipDir(dir, target) {
  try {
    fs.rmSync(target, { force: true });
    execFileSync('zip', ['-q', '-j', target, path.join(dir, 'index.mjs')], { stdio: 'ignore' });
  } catch {
    // No zip on this machine: the .mjs files are the deliverable; zip them where you deploy.
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const files = await buildTriggers(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  for (const [name, file] of Object.entries(files)) console.log(`${name}: ${path.relative(process.cwd(), file)}`);
}
