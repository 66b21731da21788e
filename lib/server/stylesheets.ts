import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

/**
 * The stylesheets the App Router links from the root layout (app/layout.tsx imports app/globals.css),
 * read once at start-up from the build, so the pages the custom server draws link the very same
 * hashed file as every App Router page: identical look, and one cached stylesheet across all pages.
 *
 * The list comes from the client-reference manifest Next writes for the /login page
 * (`entryCSSFiles`, keyed by the layout/page module). That is a build artefact, not an API; if a Next
 * upgrade changes it, start-up stops here with a message instead of serving unstyled pages, and the
 * HTTP tests compare the link with an App Router page's.
 */
const MANIFEST = path.join('server', 'app', '(hosted)', 'login', 'page_client-reference-manifest.js');

interface CssFile {
  path: string;
  inlined?: boolean;
}
interface ClientReferenceManifest {
  entryCSSFiles?: Record<string, CssFile[]>;
}

export class StylesheetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StylesheetError';
  }
}

/** `/_next/…` URLs of the layout's (and the login page's) CSS, in order, without duplicates. */
export function appStylesheets(distDir: string): string[] {
  const file = path.join(distDir, MANIFEST);
  let source: string;
  try {
    source = fs.readFileSync(file, 'utf8');
  } catch {
    throw new StylesheetError(`No build manifest at ${file}: run \`next build\` first.`);
  }
  // The file assigns globalThis.__RSC_MANIFEST[page] = {…}; evaluate it in an empty context.
  const sandbox: { __RSC_MANIFEST?: Record<string, ClientReferenceManifest> } = {};
  vm.runInNewContext(source, { globalThis: sandbox }, { filename: file, timeout: 1000 });
  const manifests = Object.values(sandbox.__RSC_MANIFEST ?? {});
  const out: string[] = [];
  for (const manifest of manifests) {
    for (const [entry, files] of Object.entries(manifest.entryCSSFiles ?? {})) {
      if (!entry.endsWith('/app/layout') && !entry.includes('/app/(hosted)/login/')) continue;
      for (const f of files) {
        if (f.inlined) throw new StylesheetError(`${file}: inlined CSS (experimental.inlineCss) is not supported by the custom server.`);
        const href = `/_next/${f.path.replace(/^\/+/, '')}`;
        if (!out.includes(href)) out.push(href);
      }
    }
  }
  if (out.length === 0) throw new StylesheetError(`${file} names no stylesheet for app/layout: has Next's manifest format changed?`);
  return out;
}
