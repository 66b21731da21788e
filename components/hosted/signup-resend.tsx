import type { ReactNode } from 'react';
import { fillPlural, pluralScript, type PluralTemplates } from '@/lib/i18n/plural-templates';

/**
 * "Send a new code": a submit button (action=resend) of the confirmation form, disabled until the
 * server's cooldown is over, with the seconds left; a nonce'd script counts down and enables it (the
 * server enforces the same cooldown, so without JavaScript a reload shows the button again). The
 * countdown text takes the locale's plural form and digits for each second (lib/i18n/plural-templates).
 */
export function ResendButton(props: { label: string; wait: PluralTemplates; secondsLeft: number; nonce?: string; formId?: string }) {
  const id = 'resend';
  const left = Math.max(0, Math.ceil(props.secondsLeft));
  const script =
    `(function(){var b=document.getElementById('${id}'),w=document.getElementById('${id}-wait');if(!b||!w)return;var n=${left};` +
    `var text=${pluralScript(props.wait)};function tick(){n--;if(n<=0){b.disabled=false;w.textContent='';return}` +
    `w.textContent=text(n);setTimeout(tick,1000)}setTimeout(tick,1000)})()`;
  const wait: ReactNode = left > 0 ? fillPlural(props.wait, left) : '';
  return (
    <div className="space-y-1">
      <button
        id={id}
        type="submit"
        name="action"
        value="resend"
        form={props.formId}
        formNoValidate
        disabled={left > 0}
        aria-describedby={`${id}-wait`}
        className="w-full rounded-md border border-stone-300 bg-white px-4 py-2 font-medium text-brand hover:bg-stone-50 disabled:cursor-not-allowed disabled:text-stone-500"
      >
        {props.label}
      </button>
      <p id={`${id}-wait`} className="text-sm text-stone-600" aria-live="polite">
        {wait}
      </p>
      {left > 0 && props.nonce ? <script nonce={props.nonce} dangerouslySetInnerHTML={{ __html: script }} /> : null}
    </div>
  );
}
