import { z } from 'zod';
import type { PasswordPolicyType, SchemaAttributeType, UserPoolClientType, UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import type { FormError } from '../form-errors';
import { attributeInput } from '../attribute-inputs';
import { failingRules } from './password-rules';

/**
 * The sign-up form, generated from the pool (DescribeUserPool: schema, sign-in identifiers, password
 * policy) and the client (DescribeUserPoolClient: WriteAttributes), and its server-side validation. Form
 * field names: `username`, `password`, `confirm`, and `attr.<attribute>` for each attribute.
 */
export const MAX_ATTRIBUTE = 2048;
export const MAX_USERNAME = 128;
export const MAX_PASSWORD = 256;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const E164 = /^\+[1-9][0-9]{3,18}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export type InputType = 'text' | 'email' | 'tel' | 'date' | 'url' | 'number' | 'checkbox';

export interface SignupField {
  /** The form field's name: `username` or `attr.<attribute>`. */
  name: string;
  /** The pool attribute (absent for the username). */
  attribute?: string;
  type: InputType;
  autoComplete?: string;
  dir?: 'ltr' | 'auto';
  required: boolean;
  /** A translation key for the label, or none for custom attributes (the name after `custom:` is shown). */
  labelKey?: string;
  label?: string;
  minLength?: number;
  maxLength: number;
  min?: string;
  max?: string;
  dataType: 'String' | 'Number' | 'DateTime' | 'Boolean';
}

export interface SignupForm {
  /** What the person signs in with: `username`, `email`, `phone_number` or `email_or_phone`. */
  usernameKind: 'username' | 'email' | 'phone_number' | 'email_or_phone';
  fields: SignupField[];
  policy?: PasswordPolicyType;
}

const UNASKED = new Set(['sub', 'email_verified', 'phone_number_verified', 'updated_at', 'identities']);

function usernameField(kind: SignupForm['usernameKind']): SignupField {
  const base = { name: 'username', required: true, maxLength: MAX_USERNAME, dataType: 'String' as const };
  switch (kind) {
    case 'email':
      return { ...base, type: 'email', autoComplete: 'email', dir: 'ltr', labelKey: 'hosted:attr.email' };
    case 'phone_number':
      return { ...base, type: 'tel', autoComplete: 'tel', dir: 'ltr', labelKey: 'hosted:attr.phone_number' };
    case 'email_or_phone':
      return { ...base, type: 'text', autoComplete: 'username', dir: 'ltr', labelKey: 'signup:emailOrPhone' };
    default:
      return { ...base, type: 'text', autoComplete: 'username', dir: 'auto', labelKey: 'signup:username' };
  }
}

function attributeField(entry: SchemaAttributeType, required: boolean): SignupField {
  const name = entry.Name!;
  const dataType = (entry.AttributeDataType ?? 'String') as SignupField['dataType'];
  const custom = name.startsWith('custom:');
  const field: SignupField = {
    name: `attr.${name}`,
    attribute: name,
    type: 'text',
    required,
    maxLength: MAX_ATTRIBUTE,
    dataType,
    dir: 'auto',
  };
  if (!custom) {
    const input = attributeInput(name);
    field.type = input.type;
    field.autoComplete = input.autoComplete;
    field.dir = input.dir === 'ltr' ? 'ltr' : 'auto';
    field.labelKey = `hosted:attr.${name}`;
  } else {
    field.label = name.slice('custom:'.length);
  }
  if (dataType === 'Number') {
    field.type = 'number';
    field.dir = 'ltr';
    field.min = entry.NumberAttributeConstraints?.MinValue;
    field.max = entry.NumberAttributeConstraints?.MaxValue;
  } else if (dataType === 'Boolean') {
    field.type = 'checkbox';
  } else if (dataType === 'String') {
    const sc = entry.StringAttributeConstraints;
    if (sc?.MinLength && Number(sc.MinLength) > 0) field.minLength = Number(sc.MinLength);
    if (sc?.MaxLength) field.maxLength = Math.min(MAX_ATTRIBUTE, Number(sc.MaxLength));
  }
  return field;
}

/**
 * The fields to ask for: the sign-in name, every required standard attribute, every auto-verified one
 * (the confirmation code goes there; required when it is the only one), and every `custom:` attribute
 * the client may write (optional: pools cannot make them required).
 */
export function signupForm(pool: UserPoolType, client: UserPoolClientType): SignupForm {
  const usernameAttrs = pool.UsernameAttributes ?? [];
  const usernameKind: SignupForm['usernameKind'] =
    usernameAttrs.includes('email') && usernameAttrs.includes('phone_number')
      ? 'email_or_phone'
      : usernameAttrs.includes('email')
        ? 'email'
        : usernameAttrs.includes('phone_number')
          ? 'phone_number'
          : 'username';
  const writable = client.WriteAttributes && client.WriteAttributes.length > 0 ? new Set(client.WriteAttributes) : undefined;
  const autoVerified = pool.AutoVerifiedAttributes ?? [];
  const fields: SignupField[] = [usernameField(usernameKind)];
  for (const entry of pool.SchemaAttributes ?? []) {
    const name = entry.Name;
    if (!name || UNASKED.has(name) || entry.DeveloperOnlyAttribute || name.startsWith('dev:')) continue;
    // The sign-in name already is this attribute.
    if ((usernameAttrs as string[]).includes(name)) continue;
    if (writable && !writable.has(name)) continue;
    const custom = name.startsWith('custom:');
    const verified = (autoVerified as string[]).includes(name);
    const required = !!entry.Required || (verified && autoVerified.length === 1 && usernameAttrs.length === 0);
    if (!custom && !required && !verified) continue;
    fields.push(attributeField(entry, required));
  }
  return { usernameKind, fields, policy: pool.Policies?.PasswordPolicy };
}

/** One field's value checked against its kind; a zod schema per field, so every field is reported. */
function fieldSchema(field: SignupField, kind: SignupForm['usernameKind']): z.ZodType<string> {
  const err = (code: FormError) => ({ message: code });
  let s = z.string(err('invalid_value')).trim();
  if (field.required) s = s.min(1, err('required'));
  s = s.max(field.maxLength, err('value_too_long'));
  const filled = (check: (v: string) => boolean) => (v: string) => v === '' || check(v);
  let out: z.ZodType<string> = s;
  const refine = (check: (v: string) => boolean, code: FormError) => {
    out = out.refine(filled(check), err(code));
  };
  if (field.minLength) refine((v) => [...v].length >= field.minLength!, 'invalid_value');
  const attr = field.attribute;
  if (field.name === 'username') {
    if (kind === 'email') refine((v) => EMAIL.test(v), 'invalid_email');
    else if (kind === 'phone_number') refine((v) => E164.test(v), 'invalid_phone');
    else if (kind === 'email_or_phone') refine((v) => EMAIL.test(v) || E164.test(v), 'invalid_value');
  }
  if (attr === 'email') refine((v) => EMAIL.test(v), 'invalid_email');
  if (attr === 'phone_number') refine((v) => E164.test(v), 'invalid_phone');
  if (attr === 'birthdate') refine((v) => DATE.test(v) && !Number.isNaN(Date.parse(v)), 'invalid_date');
  if (field.dataType === 'DateTime') refine((v) => !Number.isNaN(Date.parse(v)), 'invalid_date');
  if (field.dataType === 'Number') {
    refine((v) => /^-?\d+(\.\d+)?$/.test(v) && Number.isFinite(Number(v)), 'invalid_number');
    if (field.min !== undefined) refine((v) => Number(v) >= Number(field.min), 'invalid_number');
    if (field.max !== undefined) refine((v) => Number(v) <= Number(field.max), 'invalid_number');
  }
  return out;
}

export interface ParsedSignup {
  username: string;
  password: string;
  attributes: Array<{ Name: string; Value: string }>;
}

export type SignupParse =
  | { ok: true; value: ParsedSignup }
  | {
      ok: false;
      /** What to show again (never the passwords). */
      values: Record<string, string>;
      errors: Record<string, FormError>;
      /** Every password rule that failed, for the list next to the password field. */
      passwordRules: FormError[];
    };

/** Validates a posted sign-up form: every field, every password rule, the confirmation. */
export function parseSignup(form: SignupForm, body: URLSearchParams, o: { aliasAttributes?: string[] } = {}): SignupParse {
  const values: Record<string, string> = {};
  const errors: Record<string, FormError> = {};
  const attributes: Array<{ Name: string; Value: string }> = [];
  let username = '';
  for (const field of form.fields) {
    const raw = body.get(field.name);
    if (field.type === 'checkbox') {
      if (raw !== null) {
        values[field.name] = 'true';
        attributes.push({ Name: field.attribute!, Value: 'true' });
      }
      continue;
    }
    // Kept as typed, however long, so the person can fix it (the page's maxlength stops most of it).
    values[field.name] = (raw ?? '').slice(0, MAX_ATTRIBUTE * 2);
    const parsed = fieldSchema(field, form.usernameKind).safeParse(raw ?? '');
    if (!parsed.success) {
      errors[field.name] = parsed.error.issues[0]!.message as FormError;
      continue;
    }
    if (field.name === 'username') {
      username = parsed.data;
      const aliases = o.aliasAttributes ?? [];
      // Cognito refuses a username shaped like an alias that is on (reference §6).
      if ((aliases.includes('email') && EMAIL.test(username)) || (aliases.includes('phone_number') && E164.test(username))) {
        errors[field.name] = 'username_shape';
      }
    } else if (parsed.data !== '') {
      attributes.push({ Name: field.attribute!, Value: parsed.data });
    }
  }
  const password = body.get('password') ?? '';
  const confirm = body.get('confirm') ?? '';
  let passwordRules: FormError[] = [];
  if (!password) errors['password'] = 'required';
  else if (password.length > MAX_PASSWORD) errors['password'] = 'value_too_long';
  else {
    passwordRules = failingRules(form.policy, password);
    if (passwordRules.length > 0) errors['password'] = passwordRules[0]!;
  }
  if (!confirm) errors['confirm'] = 'required';
  else if (password && confirm !== password) errors['confirm'] = 'password_mismatch';
  if (Object.keys(errors).length > 0) return { ok: false, values, errors, passwordRules };
  return { ok: true, value: { username, password, attributes } };
}
