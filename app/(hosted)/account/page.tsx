import type { Metadata } from 'next';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { serverTranslator } from '@/lib/i18n/server';
import { hostedRuntime } from '@/lib/hosted/runtime';
import { accountCookiesOf } from '@/lib/hosted/account/access';
import { resolveAccountPage, type SearchParams } from '@/lib/hosted/account/page';
import { NONCE_HEADER } from '@/lib/security/markers';
import { AccountFrame } from '@/components/hosted/account-frame';
import { ContactSection, MfaSection, PasswordSection, ProfileSection, SignOutSection } from '@/components/hosted/account-sections';

/**
 * `/account?client_id=…[&redirect_uri=…]`: the signed-in person's own account (issue 4). Without a
 * recent account sign-in the browser goes to /account/signin first; forms post to /account (proxy.ts
 * hands them to app/api/hosted/account).
 */
export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await serverTranslator('account');
  return { title: t('title'), robots: { index: false } };
}

export default async function AccountPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const rt = await hostedRuntime();
  const jar = await cookies();
  const resolved = await resolveAccountPage(rt, await searchParams, {
    cookies: accountCookiesOf(rt, (name) => jar.get(name)?.value, await headers()),
    tr: await serverTranslator(['account', 'hosted', 'common']),
    nonce: (await headers()).get(NONCE_HEADER) ?? undefined,
  });
  // Outside any try: redirect() throws (stack-notes G10).
  if (!resolved.ok) redirect(resolved.location);
  const data = resolved.data;
  const { t } = data.tr;
  const current = t('account:currentPassword');
  const fieldLabels: Record<string, string> = {
    'pw.current': current,
    'pw.new': t('account:password.new'),
    'pw.confirm': t('account:password.confirm'),
    'totp.code': t('hosted:setup.code'),
    'totp.current': current,
    'mfa.preferred': t('account:mfa.preferredHeading'),
    'signout.current': current,
  };
  for (const c of data.contacts) {
    fieldLabels[`${c.attribute}.value`] = t(`account:contact.${c.attribute}.new`);
    fieldLabels[`${c.attribute}.current`] = current;
    fieldLabels[`${c.attribute}.code`] = t('account:contact.code');
  }
  return (
    <AccountFrame data={data} fieldLabels={fieldLabels}>
      {data.backUrl ? (
        <p className="mb-6">
          <a href={data.backUrl} className="underline">
            {data.clientName ? t('account:backTo', { client: data.clientName }) : t('account:backToApp')}
          </a>
        </p>
      ) : null}
      <ProfileSection data={data} />
      <PasswordSection data={data} />
      <MfaSection data={data} />
      {data.contacts.map((c) => (
        <ContactSection key={c.attribute} data={data} contact={c} />
      ))}
      <SignOutSection data={data} />
    </AccountFrame>
  );
}
