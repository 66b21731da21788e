// `npm run build`: `next build` and the custom server's bundle, skipped when both are current.
import { ensureBuild } from './build-state.mjs';

process.env.NEXT_TELEMETRY_DISABLED = '1';
try {
  console.log((await ensureBuild()) ? 'Build finished.' : 'Build is current.');
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
}
