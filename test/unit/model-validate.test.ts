import { describe, expect, it } from 'vitest';
import { codePointLength, validateInput } from '@/lib/userpool/model/validate';
import { CognitoError } from '@/lib/userpool/errors';

/** The engine's input validation from Cognito's model counts lengths in code points, as the service does. */
function problem(input: unknown): string | undefined {
  try {
    validateInput('AdminGetUser', input);
    return undefined;
  } catch (e) {
    if (e instanceof CognitoError) return `${e.name}: ${e.message}`;
    throw e;
  }
}

describe('model validation: string lengths', () => {
  it('counts code points, not UTF-16 units, as the spread of the string does', () => {
    for (const s of ['', 'a', 'abc', '😀', 'a😀b', '😀😀😀', '\ud83d', 'x\ud83d', '\ude00x', '\ude00\ud83d', 'é', 'e\u0301', '𝕏'.repeat(100) + 'y'.repeat(50)]) {
      expect(codePointLength(s), JSON.stringify(s)).toBe([...s].length);
    }
  });

  it('applies min and max to code points: 128 astral letters are a valid username, 129 are not', () => {
    const pool = 'eu-west-1_abcdefgh';
    expect(problem({ UserPoolId: pool, Username: '𝕏'.repeat(128) })).toBeUndefined();
    expect(problem({ UserPoolId: pool, Username: '𝕏'.repeat(129) })).toMatch(/InvalidParameterException: 1 validation error detected: Value at 'username' failed to satisfy constraint: Member must have length less than or equal to 128/);
    expect(problem({ UserPoolId: pool, Username: 'a'.repeat(129) })).toMatch(/less than or equal to 128/);
    expect(problem({ UserPoolId: pool, Username: '' })).toMatch(/greater than or equal to 1/);
  });
});
