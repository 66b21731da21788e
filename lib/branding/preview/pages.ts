import { z } from 'zod';

/**
 * The hosted pages the admin preview draws (`/admin/preview/{page}`), and its query: whose theme
 * (`client_id`, else `pool_id`), the language and a forced colour scheme. Names are the pages' own
 * paths, plus `login-error` for the sign-in form after a failed attempt.
 */
export const PREVIEW_PAGES = [
  'login',
  'login-error',
  'mfa',
  'mfa/select',
  'mfa/setup',
  'new-password',
  'signup',
  'confirmUser',
  'forgotPassword',
  'confirmforgotPassword',
  'account',
  'error',
  'logout',
] as const;
export type PreviewPage = (typeof PREVIEW_PAGES)[number];

export function isPreviewPage(value: string): value is PreviewPage {
  return (PREVIEW_PAGES as readonly string[]).includes(value);
}

export const PreviewQuerySchema = z.strictObject({
  client_id: z.string().regex(/^[\w+]{1,128}$/, 'must be an app client id').optional(),
  pool_id: z.string().regex(/^[\w-]+_[0-9a-zA-Z]+$/, 'must be a user pool id').max(55).optional(),
  locale: z.string().max(35).optional(),
  /** What the language picker sends. */
  lang: z.string().max(35).optional(),
  scheme: z.enum(['light', 'dark']).optional(),
});
export type PreviewQuery = z.infer<typeof PreviewQuerySchema>;

/** The query as links and the language picker keep it (without the language: the picker chooses it). */
export function previewQueryString(q: PreviewQuery, extra: Record<string, string | undefined> = {}): string {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries({ client_id: q.client_id, pool_id: q.pool_id, scheme: q.scheme, ...extra })) if (v) out.set(k, v);
  const text = out.toString();
  return text ? `?${text}` : '';
}
