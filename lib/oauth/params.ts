/**
 * Request parameters as received (query or form), every value of every name kept, so checks can refuse
 * repeated parameters (RFC 6749 §3.1, §3.2) instead of silently taking one of them.
 */
export class Params {
  private readonly values = new Map<string, string[]>();

  constructor(pairs: Iterable<[string, string]>) {
    for (const [name, value] of pairs) {
      const list = this.values.get(name);
      if (list) list.push(value);
      else this.values.set(name, [value]);
    }
  }

  /** The value of a parameter sent once; undefined when absent. An empty value counts as absent (RFC 6749 §3.1). */
  get(name: string): string | undefined {
    const v = this.values.get(name)?.[0];
    return v === undefined || v === '' ? undefined : v;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  count(name: string): number {
    return this.values.get(name)?.length ?? 0;
  }

  names(): string[] {
    return [...this.values.keys()];
  }
}

/** The first known parameter sent more than once, if any. */
export function repeated(params: Params, names: readonly string[]): string | undefined {
  return names.find((n) => params.count(n) > 1);
}

/** The first parameter longer than its limit (characters), if any. */
export function overLimit(params: Params, limits: Readonly<Record<string, number>>): string | undefined {
  return Object.keys(limits).find((n) => (params.get(n)?.length ?? 0) > limits[n]);
}
