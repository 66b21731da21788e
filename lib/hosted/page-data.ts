import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { hostedRuntime } from './runtime';
import { cookieNames } from './cookies';
import type { StepPath } from './routes';
import { resolveStepPage, type SearchParams, type StepPageData } from './step-page';
import { serverTranslator } from '../i18n/server';
import { NONCE_HEADER } from '../security/markers';
import { requestHttps } from '../domains/hosted';

/** A step page's data for the App Router pages (the rules live in step-page.ts). */
export type { SearchParams, StepPageData } from './step-page';

export async function stepPageData(path: StepPath, sp: SearchParams): Promise<StepPageData> {
  const rt = await hostedRuntime();
  const jar = await cookies();
  const hdrs = await headers();
  const resolved = await resolveStepPage(rt, path, sp, {
    browserId: jar.get(cookieNames(requestHttps(rt, hdrs)).browser)?.value,
    nonce: hdrs.get(NONCE_HEADER) ?? undefined,
    tr: await serverTranslator(['hosted', 'common']),
  });
  // Outside any try: redirect() throws (stack-notes G10).
  if (!resolved.ok) redirect(resolved.location);
  return resolved.data;
}
