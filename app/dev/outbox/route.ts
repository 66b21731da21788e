import { runtime } from '@/lib/userpool/runtime';
import { z } from 'zod';
import { listOutbox, outboxHtml, type OutboxMessage } from '@/lib/userpool/outbox';
import { BASIC_CHALLENGE, basicAuthMatches } from '@/lib/security/basic-auth';
import { NONCE_HEADER } from '@/lib/security/markers';
import { SANDBOXED_HTML_CSP } from '@/lib/security/headers';
import { escapeHtml, plainPage } from '@/lib/security/plain-page';
import { requestLocale } from '@/lib/i18n/server';
import { translator, type Translator } from '@/lib/i18n/translate';

export const dynamic = 'force-dynamic';

/**
 * Every message the embedded pool "sent", for people trying Portico and for tests. Admin only:
 * messages hold confirmation codes and temporary passwords.
 */
function wantsJson(req: Request): boolean {
  const accept = req.headers.get('accept') ?? '';
  return /application\/json/i.test(accept) && !/text\/html/i.test(accept);
}

function table(tr: Translator, messages: OutboxMessage[]): string {
  if (messages.length === 0) return `<p>${escapeHtml(tr.t('outboxEmpty'))}</p>`;
  const cols = ['colCreated', 'colPool', 'colMedium', 'colTo', 'colSubject', 'colText', 'colStatus', 'colAttempts', 'colLastError', 'colSent', 'colHtml'];
  const head = cols.map((c) => `<th scope="col">${escapeHtml(tr.t(c))}</th>`).join('');
  const cell = (v: string) => `<td dir="auto">${escapeHtml(v)}</td>`;
  const rows = messages
    .map((m) =>
      [
        cell(m.createdAt),
        cell(m.poolId),
        cell(m.medium),
        cell(m.to),
        cell(m.subject ?? ''),
        `<td><pre dir="auto">${escapeHtml(m.text)}</pre></td>`,
        cell(m.status),
        cell(String(m.attempts)),
        cell(m.lastError ?? ''),
        cell(m.sentAt ?? ''),
        m.hasHtml
          ? `<td><a href="/dev/outbox?id=${encodeURIComponent(m.id)}&amp;part=html" target="_blank" rel="noopener">${escapeHtml(tr.t('viewHtml'))}</a></td>`
          : '<td></td>',
      ].join(''),
    )
    .map((cells) => `<tr>${cells}</tr>`)
    .join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

const HtmlPartQuery = z.object({ id: z.string().regex(/^[0-9a-f]{16,64}$/), part: z.literal('html') });

async function htmlPart(engineDeps: Parameters<typeof outboxHtml>[0], url: URL, nonce: string | undefined): Promise<Response> {
  const query = HtmlPartQuery.safeParse(Object.fromEntries(url.searchParams));
  const html = query.success ? await outboxHtml(engineDeps, query.data.id) : undefined;
  if (html === undefined) {
    const tr = translator(await requestLocale(), 'admin');
    const page = plainPage(tr, tr.t('outboxTitle'), `<p>${escapeHtml(tr.t('outboxNotFound'))}</p>`, nonce);
    return new Response(page, { status: 404, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } });
  }
  return new Response(html, {
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      // proxy.ts sets the same policy on this response (its headers win over a route's).
      'content-security-policy': SANDBOXED_HTML_CSP,
      'x-content-type-options': 'nosniff',
    },
  });
}

export async function GET(req: Request): Promise<Response> {
  const { engine, secrets } = await runtime();
  const json = wantsJson(req);
  const nonce = req.headers.get(NONCE_HEADER) ?? undefined;
  if (!basicAuthMatches(req.headers.get('authorization'), secrets.admin)) {
    const tr = translator(await requestLocale(), 'errors');
    const headers = { 'www-authenticate': BASIC_CHALLENGE, 'cache-control': 'no-store' };
    if (json) return Response.json({ error: 'unauthorized', message: tr.t('adminCredentials') }, { status: 401, headers });
    const page = plainPage(tr, tr.t('unauthorizedTitle'), `<p>${escapeHtml(tr.t('adminCredentials'))}</p>`, nonce);
    return new Response(page, { status: 401, headers: { ...headers, 'content-type': 'text/html; charset=utf-8' } });
  }
  const url = new URL(req.url);
  if (url.searchParams.has('part') || url.searchParams.has('id')) return htmlPart(engine.deps, url, nonce);
  const messages = await listOutbox(engine.deps);
  if (json) return Response.json(messages, { headers: { 'cache-control': 'no-store' } });
  const tr = translator(await requestLocale(), 'admin');
  const body = `<p>${escapeHtml(tr.t('outboxIntro'))}</p>${table(tr, messages)}`;
  return new Response(plainPage(tr, tr.t('outboxTitle'), body, nonce), {
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  });
}
