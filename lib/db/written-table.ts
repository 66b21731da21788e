import type { RootOperationNode } from 'kysely';

function tableName(node: unknown): string | undefined {
  const n = node as { kind?: string; table?: { identifier?: { name?: string } }; node?: unknown } | undefined;
  if (n?.kind === 'TableNode') return n.table?.identifier?.name;
  if (n?.kind === 'AliasNode') return tableName(n.node);
  return undefined;
}

/** The tables an insert, update, delete or merge writes; none for anything else. */
export function writtenTables(node: RootOperationNode): string[] {
  const names = (() => {
    switch (node.kind) {
      case 'InsertQueryNode':
      case 'MergeQueryNode':
        return [tableName(node.into)];
      case 'UpdateQueryNode':
        return [tableName(node.table)];
      case 'DeleteQueryNode':
        return node.from.froms.map(tableName);
      default:
        return [];
    }
  })();
  return names.filter((n): n is string => n !== undefined);
}
