import fs from 'node:fs';
import { z } from 'zod';
import type { Db } from '../db';
import { DomainInputSchema, domainFrom, HostSchema, putDomain, type Domain } from './store';

/**
 * PORTICO_DOMAINS_FILE: custom domains as JSON, `{ "<host>": { "poolId", "baseUrl"?, "defaultClientId"? } }`.
 * Read and validated with the other settings (a bad file stops start-up with a message naming the
 * setting) and written to the database at every start, so the file wins for the hosts it lists; hosts
 * added through the admin API are left alone.
 */
const FileSchema = z.record(z.string(), DomainInputSchema);

export function readDomainsFile(file: string): { domains: Domain[] } | { error: string } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { error: `cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: `${file} is not valid JSON` };
  }
  const parsed = FileSchema.safeParse(value);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    return { error: `${i.path.join('.') || '(file)'}: ${i.message}` };
  }
  const domains: Domain[] = [];
  for (const [rawHost, input] of Object.entries(parsed.data)) {
    const host = HostSchema.safeParse(rawHost);
    if (!host.success) return { error: `${rawHost}: must be a DNS host name without a port` };
    const built = domainFrom(host.data, input);
    if ('error' in built) return { error: `${rawHost}.baseUrl: ${built.error}` };
    domains.push(built.domain);
  }
  return { domains };
}

export async function seedDomains(db: Db, domains: readonly Domain[], now: number): Promise<void> {
  for (const d of domains) await putDomain(db, d, now);
}
