import type { ReactNode } from 'react';

/**
 * "Send a new code": a submit button (action=resend) of the confirmation form, disabled until the
 * server's cooldown is over, with the seconds left; a nonce'd script counts down and enables it (the
 * server enforces the same cooldown, so without JavaScript a reload shows the button again).
 */
export function ResendButton(props: { label: string; waitText: (seconds: number) => string; secondsLeft: number; nonce?: string; formId?: string }) {
  const id = 'resend';
  const left = Math.max(0, Math.ceil(props.secondsLeft));
  // The text for N seconds, with a marker the script replaces by the live count.
  const template = props.waitText(987654321);
  const script =
    `(function(){var b=document.getElementById('${id}'),w=document.getElementById('${id}-wait');if(!b||!w)return;var n=${left};` +
    `var t=${JSON.stringify(template)};function tick(){n--;if(n<=0){b.disabled=false;w.textContent='';return}` +
    `w.textContent=t.replace('987654321',String(n));setTimeout(tick,1000)}setTimeout(tick,1000)})()`;
  const wait: ReactNode = left > 0 ? props.waitText(left) : '';
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
