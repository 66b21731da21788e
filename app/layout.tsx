import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { serverTranslator } from '@/lib/i18n/server';
import './globals.css';

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await serverTranslator('common');
  return { title: { default: t('appName'), template: `%s · ${t('appName')}` }, description: t('tagline') };
}

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const { locale, dir } = await serverTranslator('common');
  return (
    <html lang={locale} dir={dir}>
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
