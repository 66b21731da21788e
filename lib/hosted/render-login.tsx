import { renderToStaticMarkup } from 'react-dom/server';
import { HostedDocument } from '@/components/hosted/document';
import { LoginStep } from '@/components/hosted/login-form';
import type { StepPageData } from './step-page';

/**
 * The sign-in page (`GET /login?tx=…`) as one HTML string: the same components as the App Router page,
 * rendered to static markup. No client runtime: the form works without JavaScript, and the only script
 * is the form's nonce'd double-submit guard. The error summary takes focus through `autofocus`.
 */
export interface PageAssets {
  /** Stylesheet URLs, in order. */
  stylesheets: readonly string[];
}

export function renderLoginPage(data: StepPageData, assets: PageAssets): string {
  const { t, locale, dir } = data.tr;
  const markup = renderToStaticMarkup(
    <HostedDocument
      locale={locale}
      dir={dir}
      title={`${t('hosted:login.title')} · ${t('common:appName')}`}
      description={t('common:tagline')}
      stylesheets={assets.stylesheets}
      nonce={data.nonce}
      favicon={data.theme?.favicon}
    >
      <LoginStep data={data} />
    </HostedDocument>,
  );
  return `<!DOCTYPE html>${markup}`;
}
