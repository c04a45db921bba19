// Composes schema validation in the editor: dataset diagnostics, schema-file diagnostics, quick fixes and the two commands.
import * as vscode from 'vscode';
import { validateInParts } from '../../node/schema/validateSplit';
import type { RunOptions, WorkerPool } from '../../node/workerPool';
import { SchemaCodeActions } from './schemaCodeActions';
import { registerSchemaCommands } from './schemaCommands';
import { SchemaDiagnostics } from './schemaDiagnostics';
import { SchemaFileDiagnostics } from './schemaFileDiagnostics';

export interface SchemaFeatures extends vscode.Disposable {
  diagnostics: SchemaDiagnostics;
}

export function registerSchemaFeatures(options: { pool: WorkerPool; log: vscode.LogOutputChannel }): SchemaFeatures {
  const { pool, log } = options;
  const schemaFiles = new SchemaFileDiagnostics();
  const diagnostics = new SchemaDiagnostics({
    // large CSV files are validated in two parts at once, one per worker thread
    validate: (input, opts) => validateInParts((name, i, o) => pool.run(name, i, o), input, opts),
    log,
    onSchemaFiles: paths => schemaFiles.noteSchemaFiles(paths),
  });
  const disposable = vscode.Disposable.from(
    schemaFiles,
    diagnostics,
    SchemaCodeActions.register(new SchemaCodeActions({
      fixFor: (uri, d) => diagnostics.fixFor(uri, d),
      // a sample is enough to know a column's type for the field being added
      infer: (path, signal) => pool.run('inferSchema', { path, sampleRows: 10_000 }, { ...(signal ? { signal } : {}) }),
    })),
    registerSchemaCommands({ diagnostics, log, infer: (path, opts: RunOptions) => pool.run('inferSchema', { path }, opts) }),
  );
  return { diagnostics, dispose: () => disposable.dispose() };
}
