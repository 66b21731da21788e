import type { PageTheme } from '@/lib/branding/page-theme';

/**
 * The theme's style element (under the page's CSP nonce) and favicon. The CSS was built from
 * validated values and sanitised custom CSS that cannot contain "<", so it cannot end the element.
 */
export function ThemeStyle(props: { theme: PageTheme; nonce?: string }) {
  return (
    <>
      <style nonce={props.nonce} data-portico-theme="" dangerouslySetInnerHTML={{ __html: props.theme.css }} />
      {props.theme.favicon ? <link rel="icon" href={props.theme.favicon} /> : null}
    </>
  );
}
