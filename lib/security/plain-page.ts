import type { Translator } from '../i18n/translate';

/** Escaping for the few responses built as HTML strings rather than React pages. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE =
  'body{font-family:system-ui,"DejaVu Sans",sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1c1917;line-height:1.5}' +
  'table{border-collapse:collapse;width:100%;font-size:.875rem}th,td{border:1px solid #d6d3d1;padding:.375rem .5rem;text-align:start;vertical-align:top}' +
  'th{background:#f5f5f4}pre{white-space:pre-wrap;margin:0;font:inherit}a{color:#1d4ed8}';

/**
 * A minimal, complete HTML document for responses that do not go through React (the proxy's refusals,
 * admin listings). `bodyHtml` must already be escaped; the inline style carries the request's nonce.
 */
export function plainPage(tr: Translator, title: string, bodyHtml: string, nonce?: string): string {
  const nonceAttr = nonce ? ` nonce="${escapeHtml(nonce)}"` : '';
  return (
    `<!DOCTYPE html><html lang="${tr.locale}" dir="${tr.dir}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">` +
    `<title>${escapeHtml(title)} · Portico</title><style${nonceAttr}>${STYLE}</style></head>` +
    `<body><main><h1>${escapeHtml(title)}</h1>${bodyHtml}</main></body></html>`
  );
}
