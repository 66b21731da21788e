import { notFound } from 'next/navigation';
import { getServerSession } from 'next-auth';
import { headers } from 'next/headers';
import { serverTranslator } from '@/lib/i18n/server';
import { shellText } from '@/lib/i18n/shell-text';
import { NONCE_HEADER } from '@/lib/security/markers';
import { SiteShell } from '@/components/site-shell';
import { demoEnabled, demoRelyingParty } from '@/lib/demo/relying-party';
import { demoAuthOptions, type DemoSession } from '@/lib/demo/auth-options';

/**
 * The demo relying party's only page: a sign-in button, or — once signed in through Portico — the ID
 * token's claims, the UserInfo answer and a sign-out button. Plain forms: it works without JavaScript.
 */
export const dynamic = 'force-dynamic';

function ClaimsTable({ claims, claim, value, label }: { claims: Record<string, unknown>; claim: string; value: string; label: string }) {
  return (
    <table className="mt-3 w-full border-collapse text-sm" aria-label={label}>
      <thead>
        <tr>
          <th scope="col" className="border border-stone-300 bg-stone-100 px-2 py-1 text-start">{claim}</th>
          <th scope="col" className="border border-stone-300 bg-stone-100 px-2 py-1 text-start">{value}</th>
        </tr>
      </thead>
      <tbody>
        {Object.entries(claims).map(([k, v]) => (
          <tr key={k}>
            <th scope="row" className="border border-stone-300 px-2 py-1 text-start font-mono font-normal" dir="ltr">{k}</th>
            <td className="border border-stone-300 px-2 py-1 font-mono break-all" dir="ltr" data-claim={k}>
              {typeof v === 'string' ? v : JSON.stringify(v)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const button = 'rounded-md bg-brand px-4 py-2 font-medium text-white hover:bg-blue-800';

export default async function DemoPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  if (!demoEnabled()) notFound();
  const { t, locale } = await serverTranslator(['demo', 'common']);
  const rp = await demoRelyingParty();
  const session = rp ? ((await getServerSession(demoAuthOptions(rp))) as DemoSession | null) : null;
  const q = await searchParams;
  const error = typeof q.error === 'string' && /^[A-Za-z]{1,40}$/.test(q.error) ? q.error : undefined;

  return (
    <SiteShell
      locale={locale}
      {...shellText(t)}
      nonce={(await headers()).get(NONCE_HEADER) ?? undefined}
    >
      <h1 className="text-3xl font-bold tracking-tight">{t('title')}</h1>
      <p className="mt-4">{t('lead')}</p>
      {!rp ? (
        <p className="mt-6" role="status">{t('notReady')}</p>
      ) : session?.idTokenClaims ? (
        <>
          <p className="mt-6 text-lg font-semibold" role="status">
            {t('signedInAs', { name: session.user?.name ?? String(session.idTokenClaims['sub']) })}
          </p>
          <section className="mt-6" aria-labelledby="id-token-heading">
            <h2 id="id-token-heading" className="text-xl font-semibold">{t('idTokenHeading')}</h2>
            <ClaimsTable claims={session.idTokenClaims} claim={t('claim')} value={t('value')} label={t('idTokenHeading')} />
          </section>
          <section className="mt-6" aria-labelledby="userinfo-heading">
            <h2 id="userinfo-heading" className="text-xl font-semibold">{t('userinfoHeading')}</h2>
            {session.userinfo ? (
              <ClaimsTable claims={session.userinfo} claim={t('claim')} value={t('value')} label={t('userinfoHeading')} />
            ) : (
              <p className="mt-3">{t('userinfoUnavailable')}</p>
            )}
          </section>
          <form method="post" action="/demo/signout" className="mt-8">
            <p className="mb-3">{t('signOutText')}</p>
            <button type="submit" className={button}>{t('signOut')}</button>
          </form>
        </>
      ) : (
        <>
          {error && (
            <div role="alert" className="mt-6 rounded-md border border-red-300 bg-red-50 p-4">
              <h2 className="font-semibold">{t('errorTitle')}</h2>
              <p>{t('error', { code: error })}</p>
            </div>
          )}
          <p className="mt-6" role="status">{t('signedOut')}</p>
          <p className="mt-2">{t('userHint', { username: rp.username })}</p>
          <form method="post" action="/demo/signin" className="mt-6">
            <button type="submit" className={button}>{t('signIn')}</button>
          </form>
        </>
      )}
    </SiteShell>
  );
}
