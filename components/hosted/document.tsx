import type { ReactNode } from 'react';
import type { Locale } from '@/lib/i18n/locales';

/**
 * The whole HTML document for a page drawn outside the App Router: what app/layout.tsx and a page's
 * metadata produce there (lang and dir, viewport, title, description, robots, icon, the layout's
 * stylesheet), without Next's client runtime. `stylesheets` are the App Router's own CSS files
 * (lib/server/stylesheets.ts), so a browser caches one stylesheet for every page.
 */
export function HostedDocument(props: {
  locale: Locale;
  dir: 'ltr' | 'rtl';
  title: string;
  description: string;
  stylesheets: readonly string[];
  nonce?: string;
  /** The theme's favicon (a Portico asset path); Portico's icon without one. */
  favicon?: string;
  children: ReactNode;
}) {
  return (
    <html lang={props.locale} dir={props.dir}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {props.stylesheets.map((href) => (
          <link key={href} rel="stylesheet" href={href} nonce={props.nonce} />
        ))}
        <title>{props.title}</title>
        <meta name="description" content={props.description} />
        <meta name="robots" content="noindex" />
        {props.favicon ? <link rel="icon" href={props.favicon} /> : <link rel="icon" href="/icon.svg" sizes="any" type="image/svg+xml" />}
      </head>
      <body className="min-h-screen font-sans">{props.children}</body>
    </html>
  );
}
