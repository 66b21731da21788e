import { Field, fieldId } from './fields';
import type { SignupField } from '@/lib/hosted/signup/form';
import type { FormError } from '@/lib/hosted/form-errors';
import type { Translator } from '@/lib/i18n/translate';

/** The label of a generated sign-up field (custom attributes show their name; optional ones say so). */
export function signupFieldLabel(t: Translator['t'], field: SignupField): string {
  const label = field.labelKey ? t(field.labelKey) : (field.label ?? field.name);
  return field.required ? label : t('signup:optional', { label });
}

/** The sign-up form's generated fields, with what was typed and each field's error. */
export function SignupFields(props: {
  t: Translator['t'];
  fields: SignupField[];
  values: Record<string, string>;
  errors: Record<string, FormError>;
  autoFocusFirst: boolean;
}) {
  const { t, fields, values, errors } = props;
  return (
    <>
      {fields.map((field, i) => {
        const id = fieldId(field.name);
        const label = signupFieldLabel(t, field);
        const error = errors[field.name];
        if (field.type === 'checkbox') {
          return (
            <div key={field.name}>
              {error ? (
                <p id={`${id}-error`} className="text-sm font-medium text-red-700">
                  {t(`hosted:form.${error}`)}
                </p>
              ) : null}
              <label htmlFor={id} className="flex items-center gap-2 font-medium">
                <input
                  id={id}
                  name={field.name}
                  type="checkbox"
                  value="true"
                  defaultChecked={values[field.name] === 'true'}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={error ? `${id}-error` : undefined}
                  className="size-4"
                />
                {label}
              </label>
            </div>
          );
        }
        return (
          <Field
            key={field.name}
            id={id}
            name={field.name}
            type={field.type}
            label={label}
            autoComplete={field.autoComplete}
            inputMode={field.type === 'number' ? 'decimal' : undefined}
            defaultValue={values[field.name]}
            required={field.required}
            autoFocus={props.autoFocusFirst && i === 0}
            dir={field.dir}
            maxLength={field.type === 'number' || field.type === 'date' ? undefined : field.maxLength}
            min={field.min}
            max={field.max}
            spellCheck={field.name === 'username' || field.type === 'email' ? false : undefined}
            autoCapitalize={field.name === 'username' || field.type === 'email' ? 'none' : undefined}
            errorMessage={error ? t(`hosted:form.${error}`) : undefined}
          />
        );
      })}
    </>
  );
}
