import type { PasswordRule } from '@/lib/hosted/signup/password-rules';
import { POLICY_SYMBOLS } from '@/lib/hosted/signup/password-rules';
import type { Translator } from '@/lib/i18n/translate';

/**
 * The pool's password policy as a list under the password field (new-password and sign-up pages). With
 * `live`, a small script (under the page's CSP nonce, no framework) ticks each rule as the person types;
 * the server checks the same rules, so the list is only a help.
 */
export const PASSWORD_RULES_ID = 'password-rules';

function ruleText(t: Translator['t'], rule: PasswordRule): string {
  return rule.id === 'minLength' ? t('hosted:newPassword.minLength', { count: rule.count }) : t(`hosted:newPassword.${rule.id}`);
}

function liveScript(inputId: string): string {
  const symbols = JSON.stringify(POLICY_SYMBOLS);
  return (
    `(function(){var i=document.getElementById(${JSON.stringify(inputId)}),l=document.getElementById(${JSON.stringify(PASSWORD_RULES_ID)});if(!i||!l)return;` +
    `var s=${symbols};function ok(r,v){var c=r.getAttribute('data-rule');` +
    `if(c==='minLength')return Array.from(v).length>=Number(r.getAttribute('data-count'));if(c==='upper')return /[A-Z]/.test(v);` +
    `if(c==='lower')return /[a-z]/.test(v);if(c==='number')return /[0-9]/.test(v);if(c==='symbol')return Array.from(v).some(function(x){return s.indexOf(x)>=0});return false}` +
    `function run(){var v=i.value;l.querySelectorAll('li[data-rule]').forEach(function(r){var m=ok(r,v);r.setAttribute('data-met',m?'true':'false');` +
    `var st=r.querySelector('[data-state]');if(st)st.textContent=m?l.getAttribute('data-met-label'):l.getAttribute('data-unmet-label')})}` +
    `i.addEventListener('input',run);if(i.value)run()})()`
  );
}

export function PasswordPolicy(props: {
  t: Translator['t'];
  rules: PasswordRule[];
  /** Rules the last attempt broke (their form errors), marked on the list. */
  failing?: readonly string[];
  /** Tick the rules as the password field (`inputId`) changes. */
  live?: { nonce?: string; inputId: string; metLabel: string; unmetLabel: string };
}) {
  const { t, rules } = props;
  if (rules.length === 0) return null;
  const failing = new Set(props.failing ?? []);
  return (
    <div className="rounded-md bg-stone-100 p-3 text-sm">
      <p className="font-medium" id={`${PASSWORD_RULES_ID}-heading`}>
        {t('hosted:newPassword.policyHeading')}
      </p>
      <ul
        id={PASSWORD_RULES_ID}
        aria-labelledby={`${PASSWORD_RULES_ID}-heading`}
        className="mt-1 list-disc ps-5 [&_li[data-met=true]]:text-green-800 [&_li[data-met=false]]:text-stone-900"
        data-met-label={props.live?.metLabel}
        data-unmet-label={props.live?.unmetLabel}
      >
        {rules.map((rule) => {
          const broken = failing.has(rule.error);
          return (
            <li key={rule.id} data-rule={rule.id} data-count={rule.count} data-failing={broken ? 'true' : undefined} className={broken ? 'font-medium text-red-700' : undefined}>
              {ruleText(t, rule)}
              {props.live ? (
                <span data-state="" className="sr-only">
                  {' '}
                </span>
              ) : null}
            </li>
          );
        })}
      </ul>
      {props.live?.nonce ? <script nonce={props.live.nonce} dangerouslySetInnerHTML={{ __html: liveScript(props.live.inputId) }} /> : null}
    </div>
  );
}
