import type { HTMLAttributes, ReactNode } from 'react';
import { ERROR_SUMMARY_ID } from './frame';

/** Labelled form controls for the sign-in pages: plain HTML forms that work without JavaScript. */

/** The element id of a form field by its name (`attr.email` → `attr-email`); error summaries link to it. */
export function fieldId(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '-');
}

export function Field(props: {
  id: string;
  name: string;
  label: string;
  type?: 'text' | 'password' | 'email' | 'tel' | 'date' | 'url' | 'number' | 'datetime-local';
  autoComplete?: string;
  inputMode?: HTMLAttributes<HTMLInputElement>['inputMode'];
  defaultValue?: string;
  required?: boolean;
  autoFocus?: boolean;
  /** The error summary describes this field's problem. */
  invalid?: boolean;
  /** id of a hint (e.g. the password rules) that describes the field. */
  hintId?: string;
  dir?: 'ltr' | 'rtl' | 'auto';
  maxLength?: number;
  pattern?: string;
  spellCheck?: boolean;
  autoCapitalize?: string;
  /** The field's own error, shown under its label (translated text). */
  errorMessage?: string;
  min?: string;
  max?: string;
}) {
  const errorId = props.errorMessage ? `${props.id}-error` : undefined;
  const describedBy = [errorId ?? (props.invalid ? ERROR_SUMMARY_ID : undefined), props.hintId].filter(Boolean).join(' ') || undefined;
  const invalid = props.invalid || !!props.errorMessage;
  return (
    <div>
      <label htmlFor={props.id} className="block font-medium">
        {props.label}
      </label>
      {props.errorMessage ? (
        <p id={errorId} className="mt-1 text-sm font-medium text-red-700">
          {props.errorMessage}
        </p>
      ) : null}
      <input
        id={props.id}
        name={props.name}
        type={props.type ?? 'text'}
        autoComplete={props.autoComplete}
        inputMode={props.inputMode}
        defaultValue={props.defaultValue}
        required={props.required}
        autoFocus={props.autoFocus}
        aria-invalid={invalid ? true : undefined}
        aria-describedby={describedBy}
        dir={props.dir}
        maxLength={props.maxLength}
        pattern={props.pattern}
        min={props.min}
        max={props.max}
        spellCheck={props.spellCheck}
        autoCapitalize={props.autoCapitalize}
        className="mt-1 block w-full rounded-md border border-stone-300 bg-white px-3 py-2 text-base shadow-sm focus:border-brand focus:outline-2 focus:outline-brand aria-[invalid=true]:border-red-600"
      />
    </div>
  );
}

/**
 * A one-time code (MFA, confirmation, reset, verification): digits, offered by the phone's keyboard and
 * its SMS autofill, left to right in every language. Spaces and dashes are accepted (people paste them).
 */
export function CodeField(props: {
  label: string;
  id?: string;
  name?: string;
  hintId?: string;
  autoFocus?: boolean;
  invalid?: boolean;
  errorMessage?: string;
}) {
  const name = props.name ?? 'code';
  return (
    <Field
      id={props.id ?? fieldId(name)}
      name={name}
      label={props.label}
      autoComplete="one-time-code"
      inputMode="numeric"
      pattern="[0-9 \-]*"
      required
      maxLength={12}
      dir="ltr"
      hintId={props.hintId}
      autoFocus={props.autoFocus}
      invalid={props.invalid}
      errorMessage={props.errorMessage}
    />
  );
}

export function HiddenField(props: { name: string; value: string }) {
  return <input type="hidden" name={props.name} value={props.value} />;
}

export function SubmitButton(props: { children: ReactNode }) {
  return (
    <button
      type="submit"
      className="w-full rounded-md bg-brand px-4 py-2 font-medium text-white hover:bg-blue-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand"
    >
      {props.children}
    </button>
  );
}

/**
 * Polish when JavaScript runs: a second submit of the same form (a double click) is ignored, so the
 * first answer is not overtaken by a duplicate that finds its transaction already finished. Cleared
 * when the page comes back from the back-forward cache.
 */
const ONCE =
  "(function(f){if(!f)return;f.addEventListener('submit',function(e){if(f.dataset.sent){e.preventDefault();return}f.dataset.sent='1'});" +
  "addEventListener('pageshow',function(){delete f.dataset.sent})})(document.currentScript&&document.currentScript.previousElementSibling)";

/** A POST form to the page itself, carrying the CSRF token (issue 3, decision 6). */
export function StepForm(props: { action: string; csrf: string; nonce?: string; children: ReactNode; className?: string }) {
  return (
    <>
      <form method="post" action={props.action} className={props.className ?? 'space-y-4'}>
        <HiddenField name="csrf" value={props.csrf} />
        {props.children}
      </form>
      {props.nonce ? <script nonce={props.nonce} dangerouslySetInnerHTML={{ __html: ONCE }} /> : null}
    </>
  );
}
