import type { Metadata } from 'next';
import { serverTranslator } from '@/lib/i18n/server';
import { stepPageData, type SearchParams } from '@/lib/hosted/page-data';
import { LoginStep } from '@/components/hosted/login-form';

/**
 * The sign-in form (GET /login?tx=…). The custom server (server.ts) draws it itself; Next sees only
 * what that server hands on (HEAD, RSC requests). Without `?tx=`, /login is the authorization endpoint.
 */
export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await serverTranslator('hosted');
  return { title: t('login.title'), robots: { index: false } };
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  return <LoginStep data={await stepPageData('/login', await searchParams)} />;
}
