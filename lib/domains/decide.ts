import { isPrimaryHost, requestAuthority, type Authority, type AuthorityInput } from './host';
import type { Domain } from './store';

/**
 * The server's one decision per request (lib/server/main.ts): which base URL serves it. The primary
 * host needs no database; any other host is looked up in the domain registry.
 */
export type SiteDecision =
  | { kind: 'primary'; baseUrl: string; authority?: Authority }
  | { kind: 'domain'; baseUrl: string; authority: Authority; domain: Domain }
  | { kind: 'unknown' };

export async function decideSite(
  input: AuthorityInput,
  publicUrl: string,
  lookup: (hostname: string) => Promise<Domain | undefined>,
): Promise<SiteDecision> {
  // HTTP/1.0 without Host: nothing to choose by, so the primary site (as before custom domains).
  if (input.host === undefined && input.forwardedHost === undefined) return { kind: 'primary', baseUrl: publicUrl };
  const authority = requestAuthority(input);
  if (!authority) return { kind: 'unknown' };
  if (isPrimaryHost(authority.hostname, publicUrl)) return { kind: 'primary', baseUrl: publicUrl, authority };
  const domain = await lookup(authority.hostname);
  return domain ? { kind: 'domain', baseUrl: domain.baseUrl, authority, domain } : { kind: 'unknown' };
}
