/**
 * How a pool attribute is asked for on the new-password page: input type and the standard autocomplete
 * token (so password managers and browsers can fill it), and whether its label is translated.
 */
export interface AttributeInput {
  type: 'text' | 'email' | 'tel' | 'date' | 'url';
  autoComplete?: string;
  dir?: 'ltr' | 'auto';
  /** Standard attributes have translated labels; custom ones show their name. */
  labelKey?: string;
}

const STANDARD: Record<string, Omit<AttributeInput, 'labelKey'>> = {
  email: { type: 'email', autoComplete: 'email', dir: 'ltr' },
  phone_number: { type: 'tel', autoComplete: 'tel', dir: 'ltr' },
  name: { type: 'text', autoComplete: 'name', dir: 'auto' },
  given_name: { type: 'text', autoComplete: 'given-name', dir: 'auto' },
  family_name: { type: 'text', autoComplete: 'family-name', dir: 'auto' },
  middle_name: { type: 'text', autoComplete: 'additional-name', dir: 'auto' },
  nickname: { type: 'text', autoComplete: 'nickname', dir: 'auto' },
  preferred_username: { type: 'text', autoComplete: 'username', dir: 'auto' },
  birthdate: { type: 'date', autoComplete: 'bday', dir: 'ltr' },
  gender: { type: 'text', autoComplete: 'sex', dir: 'auto' },
  address: { type: 'text', autoComplete: 'street-address', dir: 'auto' },
  locale: { type: 'text', autoComplete: 'language', dir: 'ltr' },
  zoneinfo: { type: 'text', autoComplete: 'off', dir: 'ltr' },
  website: { type: 'url', autoComplete: 'url', dir: 'ltr' },
  picture: { type: 'url', autoComplete: 'photo', dir: 'ltr' },
  profile: { type: 'url', autoComplete: 'url', dir: 'ltr' },
};

export function attributeInput(name: string): AttributeInput {
  const known = STANDARD[name];
  return known ? { ...known, labelKey: `attr.${name}` } : { type: 'text', dir: 'auto' };
}
