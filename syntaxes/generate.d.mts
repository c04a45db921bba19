// Types of the grammar generator, for the unit tests that import it.
export declare const COLUMN_SCOPES: readonly string[];
export declare function grammarFor(lang: { id: string; name: string; delimiter: string; escaped: string }): {
  name: string;
  scopeName: string;
  patterns: { match: string; captures: Record<string, { name: string }> }[];
};
