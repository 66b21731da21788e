import type { Policy } from '@/lib/hosted/recovery/policy';
import type { Translator } from '@/lib/i18n/translate';

/**
 * The pool's password rules, listed next to the new-password field (its hint). A local stand-in until
 * the shared components/hosted/password-policy.tsx exists.
 */
export const PASSWORD_RULES_ID = 'password-rules';

export function PasswordRules(props: { policy: Policy; t: Translator['t'] }) {
  const { policy, t } = props;
  const rules: string[] = [t('hosted:newPassword.minLength', { count: policy.minimumLength })];
  if (policy.upper) rules.push(t('hosted:newPassword.upper'));
  if (policy.lower) rules.push(t('hosted:newPassword.lower'));
  if (policy.number) rules.push(t('hosted:newPassword.number'));
  if (policy.symbol) rules.push(t('hosted:newPassword.symbol'));
  return (
    <div id={PASSWORD_RULES_ID} className="rounded-md bg-stone-100 p-3 text-sm">
      <p className="font-medium">{t('hosted:newPassword.policyHeading')}</p>
      <ul className="mt-1 list-disc ps-5">
        {rules.map((rule) => (
          <li key={rule}>{rule}</li>
        ))}
      </ul>
    </div>
  );
}
