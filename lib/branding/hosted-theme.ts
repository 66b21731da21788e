import type { HostedRuntime } from '../hosted/runtime';
import { requestSite } from '../domains/hosted';
import { servesPool } from '../domains/site';
import { pageTheme, type PageTheme, type PageTranslator } from './page-theme';
import type { Scheme } from './theme-css';

/**
 * The theme of a hosted page that is not a step of a sign-in transaction (the error page, the account
 * pages, the emailed link's pages, sign-out): the app client the request names, else the default
 * client of the custom domain it came in on. A client the site does not serve (another pool's, on a
 * custom domain) counts as none, as everywhere else on that domain.
 */
const CLIENT_ID = /^[\w+]{1,128}$/;

type HeaderSource = Parameters<typeof requestSite>[1];

function sources(rt: HostedRuntime) {
  return { db: rt.db, cognito: rt.cognito, publicUrl: rt.settings.publicUrl, now: rt.clock.now() };
}

/** The theme for an app client (its pool's under it); undefined for an unknown client. */
export async function clientTheme(rt: HostedRuntime, clientId: string | undefined, tr: PageTranslator, scheme?: Scheme): Promise<PageTheme | undefined> {
  if (!clientId || !CLIENT_ID.test(clientId)) return undefined;
  const client = await rt.directory.appClient(clientId).catch(() => undefined);
  if (!client?.UserPoolId) return undefined;
  return pageTheme(sources(rt), client.UserPoolId, clientId, tr, scheme);
}

/** The theme for the request: the named client when this site serves it, else the domain's default client. */
export async function requestTheme(rt: HostedRuntime, headers: HeaderSource, clientId: string | undefined, tr: PageTranslator): Promise<PageTheme | undefined> {
  const site = await requestSite(rt, headers).catch(() => undefined);
  if (clientId && CLIENT_ID.test(clientId)) {
    const client = await rt.directory.appClient(clientId).catch(() => undefined);
    if (client?.UserPoolId && (!site || servesPool(site, client.UserPoolId))) return pageTheme(sources(rt), client.UserPoolId, clientId, tr);
  }
  return clientTheme(rt, site?.domain?.defaultClientId, tr);
}
