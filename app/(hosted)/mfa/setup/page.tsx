import type { Metadata } from 'next';
import { serverTranslator } from '@/lib/i18n/server';
import { stepPageData, type SearchParams } from '@/lib/hosted/page-data';
import { otpauthUri, qrDataUrl } from '@/lib/hosted/totp-enrolment';
import { MfaSetupStep } from '@/components/hosted/steps/mfa-setup-step';

/**
 * MFA_SETUP: TOTP enrolment (QR code and the key to type, then the first code), and email as the
 * alternative when the pool offers it.
 */
export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await serverTranslator('hosted');
  return { title: t('setup.title'), robots: { index: false } };
}

export default async function MfaSetupPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const data = await stepPageData('/mfa/setup', await searchParams);
  const { state } = data.tx;
  let qr: string | undefined;
  if (state.totpSecret) {
    const pool = await data.rt.directory.pool(state.request.poolId).catch(() => undefined);
    const poolName = pool?.Name ?? state.request.poolId;
    qr = await qrDataUrl(otpauthUri(poolName, state.typedUsername ?? state.username ?? '', state.totpSecret));
  }
  return <MfaSetupStep data={data} qr={qr} />;
}
