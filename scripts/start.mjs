// `npm start`: check the settings, build when the sources changed since the last build, then serve with
// Portico's own server (server.ts, bundled by the build; it runs Next inside).
import { spawn } from 'node:child_process';
import { root, ensureBuild, serverEntry } from './build-state.mjs';
import { serverNodeArgs } from './server-args.mjs';

process.env.NEXT_TELEMETRY_DISABLED = '1';

/** The settings module is TypeScript; tsx loads it so a bad setting stops us before a long build. */
async function checkSettings() {
  let parseSettings;
  try {
    const { tsImport } = await import('tsx/esm/api');
    ({ parseSettings } = await tsImport('../lib/config/env.ts', import.meta.url));
  } catch {
    // Without tsx (a production-only install) the server checks the same settings when it starts.
    return { port: Number(process.env.PORT ?? 3000) || 3000 };
  }
  try {
    return parseSettings(process.env);
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}

await checkSettings();
try {
  if (await ensureBuild()) console.log('Build finished.');
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
}

// Cluster workers (PORTICO_PROCESSES) inherit these flags from the server process.
const child = spawn(process.execPath, [...serverNodeArgs(), serverEntry(root)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'production' },
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
