/**
 * JSON documents stored as text (a pool's configuration, a client's settings), parsed once per stored
 * text. The text is still read from the database on every use, so a change by any instance is seen at
 * once; only the parse is skipped. The parsed value is shared between requests, so it is frozen deeply:
 * nothing may change it in place (an update writes a new document). Bounded, oldest dropped first.
 */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export function parsedByText<T>(size: number, parse: (text: string) => T): (text: string) => T {
  const parsed = new Map<string, T>();
  return (text) => {
    if (parsed.has(text)) return parsed.get(text)!;
    const value = deepFreeze(parse(text));
    if (parsed.size >= size) parsed.delete(parsed.keys().next().value!);
    parsed.set(text, value);
    return value;
  };
}
