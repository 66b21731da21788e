/** The theme's terms and privacy links under the card (Cognito's `legalText-customizable`). */
export function LegalLinks(props: { termsUrl?: string; privacyUrl?: string; label: string; terms: string; privacy: string }) {
  if (!props.termsUrl && !props.privacyUrl) return null;
  return (
    <nav aria-label={props.label} className="portico-legal legalText-customizable mx-auto mt-4 flex max-w-md justify-center gap-4 text-sm">
      {props.termsUrl ? <a href={props.termsUrl} rel="noopener noreferrer">{props.terms}</a> : null}
      {props.privacyUrl ? <a href={props.privacyUrl} rel="noopener noreferrer">{props.privacy}</a> : null}
    </nav>
  );
}
