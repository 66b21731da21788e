import model from './cognito-idp.json' with { type: 'json' };
import { CognitoError } from '../errors';

/**
 * Input validation generated from Cognito's own API model: required members, lengths, ranges, enums and
 * patterns, answered in AWS's words ("1 validation error detected: Value … at '…' failed to satisfy
 * constraint: …"). Type mismatches are SerializationException, as the real service answers them.
 */
interface ShapeRef {
  shape: string;
}
interface Shape {
  type: 'structure' | 'string' | 'integer' | 'long' | 'boolean' | 'list' | 'map' | 'timestamp' | 'blob';
  members?: Record<string, ShapeRef>;
  required?: string[];
  member?: ShapeRef;
  key?: ShapeRef;
  value?: ShapeRef;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  sensitive?: boolean;
}
interface Operation {
  name: string;
  input?: ShapeRef;
  authtype?: string;
  auth?: string[];
}

const shapes = (model as unknown as { shapes: Record<string, Shape> }).shapes;
const operations = (model as unknown as { operations: Record<string, Operation> }).operations;

export function modelOperation(name: string): Operation | undefined {
  return Object.hasOwn(operations, name) ? operations[name] : undefined;
}

export function isPublicOperation(name: string): boolean {
  const op = modelOperation(name);
  return op?.authtype === 'none' || (op?.auth ?? []).includes('smithy.api#noAuth');
}

export function modelOperationNames(): string[] {
  return Object.keys(operations);
}

const regexCache = new Map<string, RegExp | null>();
function compilePattern(pattern: string): RegExp | null {
  if (regexCache.has(pattern)) return regexCache.get(pattern)!;
  let flags = 'u';
  let source = pattern;
  if (source.startsWith('(?s)')) {
    source = source.slice(4);
    flags += 's';
  }
  let re: RegExp | null;
  try {
    // Java's String.matches semantics: the whole value must match.
    re = new RegExp(`^(?:${source})$`, flags);
  } catch {
    re = null;
  }
  regexCache.set(pattern, re);
  return re;
}

/**
 * Length in code points, as the model's min and max count (a lone surrogate counts as one, as in
 * `[...s]`), without building the array: SRP_A, SECRET_BLOCK and Session values run to hundreds of
 * characters on every sign-in.
 */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

function describe(value: unknown, sensitive: boolean): string {
  if (sensitive) return 'Value';
  if (value === null || value === undefined) return 'Value null';
  if (typeof value === 'string') return `Value '${value}'`;
  if (typeof value === 'object') return `Value '${JSON.stringify(value)}'`;
  return `Value '${String(value)}'`;
}

class Collector {
  readonly problems: string[] = [];
  add(value: unknown, sensitive: boolean, at: string, constraint: string) {
    this.problems.push(`${describe(value, sensitive)} at '${at}' failed to satisfy constraint: ${constraint}`);
  }
}

function serialization(message: string): CognitoError {
  return new CognitoError('SerializationException', message);
}

function check(shapeName: string, value: unknown, at: string, out: Collector): void {
  const shape = shapes[shapeName];
  if (!shape) return;
  const sensitive = shape.sensitive === true;
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw serialization(`Start of structure or map found where not expected at '${at || 'input'}'.`);
      }
      const record = value as Record<string, unknown>;
      for (const name of shape.required ?? []) {
        if (record[name] === undefined || record[name] === null) {
          out.add(null, false, at ? `${at}.${lowerFirst(name)}` : lowerFirst(name), 'Member must not be null');
        }
      }
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const v = record[name];
        if (v === undefined || v === null) continue;
        check(ref.shape, v, at ? `${at}.${lowerFirst(name)}` : lowerFirst(name), out);
      }
      return;
    }
    case 'string': {
      if (typeof value !== 'string') throw serialization(`STRING_VALUE can not be converted to a ${typeof value} at '${at}'.`);
      const length = codePointLength(value);
      if (shape.min !== undefined && length < shape.min) {
        out.add(value, sensitive, at, `Member must have length greater than or equal to ${shape.min}`);
      }
      if (shape.max !== undefined && length > shape.max) {
        out.add(value, sensitive, at, `Member must have length less than or equal to ${shape.max}`);
      }
      if (shape.enum && !shape.enum.includes(value)) {
        out.add(value, sensitive, at, `Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
      }
      if (shape.pattern && length > 0) {
        const re = compilePattern(shape.pattern);
        if (re && !re.test(value)) {
          out.add(value, sensitive, at, `Member must satisfy regular expression pattern: ${shape.pattern}`);
        }
      }
      return;
    }
    case 'integer':
    case 'long': {
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        throw serialization(`NUMBER_VALUE expected at '${at}'.`);
      }
      if (shape.min !== undefined && value < shape.min) {
        out.add(value, sensitive, at, `Member must have value greater than or equal to ${shape.min}`);
      }
      if (shape.max !== undefined && value > shape.max) {
        out.add(value, sensitive, at, `Member must have value less than or equal to ${shape.max}`);
      }
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') throw serialization(`BOOLEAN_VALUE expected at '${at}'.`);
      return;
    case 'timestamp':
      if (typeof value !== 'number' && typeof value !== 'string') throw serialization(`Timestamp expected at '${at}'.`);
      return;
    case 'blob':
      if (typeof value !== 'string') throw serialization(`Base64-encoded blob expected at '${at}'.`);
      return;
    case 'list': {
      if (!Array.isArray(value)) throw serialization(`Start of list found where not expected at '${at}'.`);
      if (shape.min !== undefined && value.length < shape.min) {
        out.add(value, sensitive, at, `Member must have length greater than or equal to ${shape.min}`);
      }
      if (shape.max !== undefined && value.length > shape.max) {
        out.add(value, sensitive, at, `Member must have length less than or equal to ${shape.max}`);
      }
      value.forEach((item, i) => {
        if (item !== null && item !== undefined) check(shape.member!.shape, item, `${at}.${i + 1}.member`, out);
      });
      return;
    }
    case 'map': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw serialization(`Start of structure or map found where not expected at '${at}'.`);
      }
      const entries = Object.entries(value as Record<string, unknown>);
      if (shape.max !== undefined && entries.length > shape.max) {
        out.add(value, sensitive, at, `Member must have length less than or equal to ${shape.max}`);
      }
      for (const [k, v] of entries) {
        check(shape.key!.shape, k, `${at}.key`, out);
        if (v !== null && v !== undefined) check(shape.value!.shape, v, `${at}.${k}.value`, out);
      }
      return;
    }
  }
}

/** Throws InvalidParameterException (constraints) or SerializationException (types) for a bad input. */
export function validateInput(operation: string, input: unknown): void {
  const op = modelOperation(operation);
  if (!op?.input) return;
  const out = new Collector();
  check(op.input.shape, input, '', out);
  if (out.problems.length > 0) {
    const n = out.problems.length;
    throw new CognitoError(
      'InvalidParameterException',
      `${n} validation error${n === 1 ? '' : 's'} detected: ${out.problems.join('; ')}`,
    );
  }
}
