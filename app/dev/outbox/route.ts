import { runtime } from '@/lib/userpool/runtime';
import { listOutbox, type OutboxMessage } from '@/lib/userpool/outbox';
import { BASIC_CHALLENGE, basicAuthMatches } from '@/lib/security/basic-auth';
import { NONCE_HEADER } from '@/lib/security/markers';
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
  const cols = ['colCreated', 'colPool', 'colMedium', 'colTo', 'colSubject', 'colText', 'colStatus'];
  const head = cols.map((c) => `<th scope="col">${escapeHtml(tr.t(c))}</th>`).join('');
  const rows = messages
    .map((m) =>
      [m.createdAt, m.poolId, m.medium, m.to, m.subject ?? '', m.text, m.status]
        .map((v, i) => (i === 5 ? `<td><pre dir="auto">${escapeHtml(v)}</pre></td>` : `<td dir="auto">${escapeHtml(v)}</td>`))
        .join(''),
    )
    .map((cells) => `<tr>${cells}</tr>`)
    .join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
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
  const messages = await listOutbox(engine.deps);
  if (json) return Response.json(messages, { headers: { 'cache-control': 'no-store' } });
  const tr = translator(await requestLocale(), 'admin');
  const body = `<p>${escapeHtml(tr.t('outboxIntro'))}</p>${table(tr, messages)}`;
  return new Response(plainPage(tr, tr.t('outboxTitle'), body, nonce), {
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  });
}
