import { z } from 'zod';
import type { UserPoolClientType } from '@aws-sdk/client-cognito-identity-provider';
import type { HostedRuntime } from '../runtime';

/**
 * The account page's own parameters: `client_id` (which app, hence which pool) and an optional
 * `redirect_uri` for the "Back to <app>" link, accepted only when it is exactly one of the client's
 * callback or sign-out URLs. They travel, with the language hints, on every URL of the account pages.
 */
export type AccountPath = '/account' | '/account/signin' | '/account/signed-out';

const paramsSchema = z.object({
  clientId: z.string().min(1).max(128).regex(/^[\w+]+$/),
  redirectUri: z.string().max(2048).optional(),
  lang: z.string().max(35).optional(),
  uiLocales: z.string().max(255).optional(),
});

export type AccountParams = z.infer<typeof paramsSchema>;

type Query = URLSearchParams | Record<string, string | string[] | undefined>;

function read(q: Query, name: string): string | undefined {
  if (q instanceof URLSearchParams) return q.get(name) ?? undefined;
  const v = q[name];
  return Array.isArray(v) ? v[0] : v;
}

export function accountParamsOf(q: Query): AccountParams | undefined {
  const parsed = paramsSchema.safeParse({
    clientId: read(q, 'client_id'),
    redirectUri: read(q, 'redirect_uri') || undefined,
    lang: read(q, 'lang') || undefined,
    uiLocales: read(q, 'ui_locales') || undefined,
  });
  return parsed.success ? parsed.data : undefined;
}

export function accountUrl(path: AccountPath, p: AccountParams, extra: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams({ client_id: p.clientId });
  if (p.redirectUri) q.set('redirect_uri', p.redirectUri);
  if (p.lang) q.set('lang', p.lang);
  if (p.uiLocales) q.set('ui_locales', p.uiLocales);
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) q.set(k, v);
  return `${path}?${q.toString()}`;
}

export interface AccountClient {
  client: UserPoolClientType & { ClientId: string; UserPoolId: string };
  /** The registered address the "Back to" link may use, or undefined. */
  backUrl?: string;
}

/** The app client named by `client_id`, or undefined when the pool does not know it. */
export async function accountClientOf(rt: HostedRuntime, p: AccountParams): Promise<AccountClient | undefined> {
  const client = await rt.directory.appClient(p.clientId).catch(() => undefined);
  if (!client?.ClientId || !client.UserPoolId) return undefined;
  const registered = [...(client.CallbackURLs ?? []), ...(client.LogoutURLs ?? [])];
  const backUrl = p.redirectUri && registered.includes(p.redirectUri) ? p.redirectUri : undefined;
  return { client: client as AccountClient['client'], backUrl };
}

/** The parameters as they should travel on: an unregistered redirect_uri is dropped. */
export function carried(p: AccountParams, c: AccountClient): AccountParams {
  return { ...p, redirectUri: c.backUrl };
}
