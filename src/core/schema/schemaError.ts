// The typed error for a schema or data package that cannot be used: names the file and the problem.

export type SchemaErrorCode =
  | 'invalid-json'     // the file is not JSON
  | 'invalid-schema'   // JSON, but not a valid Table Schema (or dialect, or data package)
  | 'not-found'        // a schema the caller named does not exist
  | 'unsupported';     // valid, but uses something Strata does not check (e.g. a remote schema URL)

export class SchemaError extends Error {
  override readonly name = 'SchemaError';
  constructor(
    readonly code: SchemaErrorCode,
    /** The schema file (or `<inline>`), as the caller named it. */
    readonly source: string,
    /** The problem alone, without the file name. */
    readonly problem: string,
    /** JSON pointer of the offending value, e.g. `/fields/2/type` ('' for the whole document). */
    readonly pointer = '',
  ) {
    super(`${source}: ${pointer ? `${pointer}: ` : ''}${problem}`);
  }
}

export function isSchemaError(e: unknown): e is SchemaError {
  return e instanceof Error && e.name === 'SchemaError' && typeof (e as SchemaError).problem === 'string';
}

/** A problem of a schema that does not stop it being used (e.g. a constraint its field's type ignores). */
export interface SchemaWarning {
  /** `unsupported`: a part Strata leaves unchecked; `invalid-schema`: a part that is wrong (a key naming no resource). */
  code: Extract<SchemaErrorCode, 'unsupported' | 'invalid-schema'>;
  /** JSON pointer of the offending value, relative to the document the caller parsed. */
  pointer: string;
  /** The problem, in words. */
  message: string;
}
