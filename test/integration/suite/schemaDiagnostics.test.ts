// Schema diagnostics in a real extension host: codes and exact ranges in the Problems panel, quick fixes that edit the
// schema (and make the problem go), validation as you type, Infer Schema, broken schemas, binary formats, the grammar.
// The datasets are written into a folder of the throwaway workspace at suite start and removed at the end.
import * as assert from 'node:assert';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { activateStrata, fileNode, item, waitFor, workspaceRoot } from '../explorerHelpers';

const DIR = 'schema-check';
const LONG = 60_000;

const PEOPLE_SCHEMA = {
  fields: [
    { name: 'id', type: 'integer' },
    { name: 'name', type: 'string' },
    { name: 'age', type: 'integer', constraints: { minimum: 0 } },
  ],
};

/** Header, a record with a quoted CRLF line break, then a bad type and a bad minimum. */
const PEOPLE_CSV = 'id,name,age\r\n1,"Ann\r\nSmith",34\r\n2,Bob,old\r\n3,Cy,-5\r\n';

function uriOf(rel: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), DIR, rel);
}

function write(rel: string, text: string): vscode.Uri {
  const uri = uriOf(rel);
  writeFileSync(uri.fsPath, text);
  return uri;
}

interface Seen { code: string; range: [number, number, number, number]; severity: vscode.DiagnosticSeverity; message: string }

function strataDiagnostics(uri: vscode.Uri): Seen[] {
  return vscode.languages.getDiagnostics(uri).filter(d => d.source === 'strata').map(d => ({
    code: String(typeof d.code === 'object' ? d.code.value : d.code),
    range: [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character],
    severity: d.severity,
    message: d.message,
  }));
}

async function diagnosticsUntil(uri: vscode.Uri, what: string, ok: (seen: Seen[]) => boolean): Promise<Seen[]> {
  return waitFor(what, async () => strataDiagnostics(uri), ok, LONG - 10_000);
}

function codes(seen: Seen[]): string[] {
  return seen.map(s => s.code).sort();
}

async function quickFixes(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
    'vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value, 10,
  );
  return actions ?? [];
}

async function applyFix(uri: vscode.Uri, range: vscode.Range, title: RegExp): Promise<vscode.CodeAction> {
  const actions = await quickFixes(uri, range);
  const action = actions.find(a => title.test(a.title));
  assert.ok(action, `no quick fix matching ${title}; offered: ${actions.map(a => a.title).join(' | ')}`);
  if (action.edit) {
    assert.ok(await vscode.workspace.applyEdit(action.edit), 'the edit was refused');
  } else if (action.command) {
    await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  }
  return action;
}

function rangeOf(seen: Seen): vscode.Range {
  return new vscode.Range(seen.range[0], seen.range[1], seen.range[2], seen.range[3]);
}

suite('Schema diagnostics', () => {
  suiteSetup(async function () {
    this.timeout(LONG);
    mkdirSync(uriOf('').fsPath, { recursive: true });
    await activateStrata();
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  suiteTeardown(async () => {
    // unsaved quick-fix edits are dropped with the editors; then the folder goes
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(uriOf('').fsPath, { recursive: true, force: true });
  });

  test('the explorer tooltip says which schema applies and where it came from', async function () {
    this.timeout(LONG);
    const api = await activateStrata();
    const tooltipOf = async (name: string): Promise<string> => {
      const node = await waitFor(`${name} in the explorer`, () => fileNode(api, DIR, name), n => n !== undefined, LONG - 20_000);
      const n = node as NonNullable<typeof node>;
      const it = await api.datasetTree.resolveTreeItem?.(await item(api, n), n, new vscode.CancellationTokenSource().token);
      const t = it?.tooltip;
      // the Markdown's escapes dropped, to compare the words
      return (typeof t === 'string' ? t : t?.value ?? '').replace(/\\(.)/g, '$1');
    };
    write('sourced.csv', 'id,name\n1,a\n');
    write('sourced.schema.json', JSON.stringify(PEOPLE_SCHEMA));
    write('mapped.csv', 'id,name\n1,a\n');
    write('shared.schema.json', JSON.stringify(PEOPLE_SCHEMA));
    write('plain.csv', 'id,name\n1,a\n');
    const config = vscode.workspace.getConfiguration('strata');
    await config.update('schemas', { [`${DIR}/mapped.csv`]: `${DIR}/shared.schema.json` }, vscode.ConfigurationTarget.Workspace);
    // the folder was made moments ago and the file watcher may not watch it yet (the explorer's pickup of new files
    // has its own tests): the Refresh command lists what is there
    await vscode.commands.executeCommand('strata.explorer.refresh');
    try {
      assert.match(await tooltipOf('sourced.csv'), /Schema: schema schema-check\/sourced\.schema\.json \(beside the file\)/);
      assert.match(await tooltipOf('mapped.csv'), /Schema: schema schema-check\/shared\.schema\.json \(strata\.schemas: schema-check\/mapped\.csv\)/);
      assert.doesNotMatch(await tooltipOf('plain.csv'), /Schema:/);
    } finally {
      await config.update('schemas', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('contributes the csv, tsv and psv languages with their grammars', async () => {
    const languages = await vscode.languages.getLanguages();
    for (const id of ['csv', 'tsv', 'psv']) { assert.ok(languages.includes(id), `language ${id} is missing`); }
    const ext = vscode.extensions.getExtension('strata-data.strata')!;
    const grammars = (ext.packageJSON.contributes.grammars as { language: string; path: string }[]).map(g => g.language).sort();
    assert.deepStrictEqual(grammars, ['csv', 'psv', 'tsv']);
    const doc = await vscode.workspace.openTextDocument(write('lang.tsv', 'a\tb\n1\t2\n'));
    assert.strictEqual(doc.languageId, 'tsv');
  });

  test('a bad CSV shows each problem at its cell, with the Frictionless code and a link', async function () {
    this.timeout(LONG);
    write('people.schema.json', JSON.stringify(PEOPLE_SCHEMA, null, 2) + '\n');
    const uri = write('people.csv', PEOPLE_CSV);
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.strictEqual(doc.languageId, 'csv');
    await vscode.window.showTextDocument(doc);
    const seen = await diagnosticsUntil(uri, 'type-error and constraint-error', s => codes(s).join() === 'constraint-error,type-error');
    const type = seen.find(s => s.code === 'type-error')!;
    const constraint = seen.find(s => s.code === 'constraint-error')!;
    // line 3 ("2,Bob,old"): the quoted line break of record 1 is a line of its own
    assert.deepStrictEqual(type.range, [3, 6, 3, 9]);
    assert.deepStrictEqual(constraint.range, [4, 5, 4, 7]);
    assert.strictEqual(type.severity, vscode.DiagnosticSeverity.Error);
    const raw = vscode.languages.getDiagnostics(uri).find(d => d.source === 'strata' && typeof d.code === 'object' && d.code.value === 'type-error')!;
    const code = raw.code as { value: string; target: vscode.Uri };
    assert.strictEqual(code.target.toString(true), 'https://framework.frictionlessdata.io/docs/errors/cell.html#type-error');
  });

  test('quick fixes edit the schema and the problems go', async function () {
    this.timeout(LONG);
    const uri = uriOf('people.csv');
    await vscode.window.showTextDocument(uri);
    let seen = await diagnosticsUntil(uri, 'the two problems', s => codes(s).join() === 'constraint-error,type-error');

    await applyFix(uri, rangeOf(seen.find(s => s.code === 'constraint-error')!), /^Lower the minimum of "age" to -5/);
    seen = await diagnosticsUntil(uri, 'the constraint-error to go', s => codes(s).join() === 'type-error');
    const schemaDoc = vscode.workspace.textDocuments.find(d => d.uri.toString() === uriOf('people.schema.json').toString());
    assert.ok(schemaDoc, 'the schema was edited as a document');
    assert.ok(schemaDoc.isDirty, 'the edit is unsaved (and so can be undone)');
    assert.deepStrictEqual(JSON.parse(schemaDoc.getText()).fields[2].constraints, { minimum: -5 });

    const offered = (await quickFixes(uri, rangeOf(seen[0]))).map(a => a.title);
    assert.ok(offered.some(t => t.startsWith('Treat "old" as a missing value')), offered.join(' | '));
    await applyFix(uri, rangeOf(seen[0]), /^Change the type of "age" to string/);
    await diagnosticsUntil(uri, 'no problems left', s => s.length === 0);
    assert.strictEqual(JSON.parse(schemaDoc.getText()).fields[2].type, 'string');

    // saving the schema keeps the dataset clean; the file on disk now holds the fix
    await schemaDoc.save();
    assert.strictEqual(JSON.parse(readFileSync(schemaDoc.uri.fsPath, 'utf8')).fields[2].type, 'string');
    await diagnosticsUntil(uri, 'still no problems after save', s => s.length === 0);
  });

  test('validates unsaved edits as you type', async function () {
    this.timeout(LONG);
    write('typed.schema.json', JSON.stringify({ fields: [{ name: 'n', type: 'integer' }, { name: 'label', type: 'string' }] }) + '\n');
    const uri = write('typed.csv', 'n,label\n1,a\n');
    const editor = await vscode.window.showTextDocument(uri);
    await diagnosticsUntil(uri, 'a clean start', s => s.length === 0 && vscode.workspace.textDocuments.some(d => d.uri.toString() === uri.toString()));
    await editor.edit(b => b.insert(new vscode.Position(2, 0), 'two,b\n'));
    assert.ok(editor.document.isDirty);
    const seen = await diagnosticsUntil(uri, 'a type-error in the typed row', s => codes(s).join() === 'type-error');
    assert.deepStrictEqual(seen[0].range, [2, 0, 2, 3]);
    await editor.edit(b => b.replace(new vscode.Range(2, 0, 2, 3), '2'));
    await diagnosticsUntil(uri, 'the fixed row to be clean', s => s.length === 0);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('without a schema: personal data per column and an offer to infer; Infer Schema writes one', async function () {
    this.timeout(LONG);
    const rows = ['id,email,score'];
    for (let i = 1; i <= 20; i++) { rows.push(`${i},user${i}@example.org,${i * 1.5}`); }
    const uri = write('contacts.csv', rows.join('\n') + '\n');
    await vscode.window.showTextDocument(uri);
    let seen = await diagnosticsUntil(uri, 'personal data and the no-schema offer', s => codes(s).join() === 'no-schema,personal-data');
    const pii = seen.find(s => s.code === 'personal-data')!;
    assert.strictEqual(pii.severity, vscode.DiagnosticSeverity.Warning);
    assert.deepStrictEqual(pii.range, [0, 3, 0, 8], 'on the label of the email column');
    assert.match(pii.message, /100% of 20 values look like email addresses \(e\.g\. row 2\)/);
    const offer = seen.find(s => s.code === 'no-schema')!;
    assert.strictEqual(offer.severity, vscode.DiagnosticSeverity.Information);
    const offered = await quickFixes(uri, rangeOf(offer));
    assert.ok(offered.some(a => a.command?.command === 'strata.inferSchema'), offered.map(a => a.title).join(' | '));

    const result = await vscode.commands.executeCommand<{ written: string | null }>('strata.inferSchema', uri, { review: false });
    assert.strictEqual(result?.written, uriOf('contacts.schema.json').fsPath);
    const written = JSON.parse(readFileSync(uriOf('contacts.schema.json').fsPath, 'utf8')) as { fields: { name: string; type: string; format?: string }[] };
    assert.deepStrictEqual(written.fields.map(f => [f.name, f.type]), [['id', 'integer'], ['email', 'string'], ['score', 'number']]);
    assert.strictEqual(written.fields[1].format, 'email');

    // the new schema applies at once: the offer goes, the personal-data warning stays until allowed
    seen = await diagnosticsUntil(uri, 'the schema to apply', s => codes(s).join() === 'personal-data');
    await applyFix(uri, rangeOf(seen[0]), /^Mark "email" as allowed personal data/);
    await diagnosticsUntil(uri, 'the warning to go', s => s.length === 0);
  });

  test('an extra column: adding the field with the type the data holds', async function () {
    this.timeout(LONG);
    write('extra.schema.json', JSON.stringify({ fields: [{ name: 'a', type: 'integer' }], fieldsMatch: 'equal' }, null, 2) + '\n');
    const uri = write('extra.csv', 'a,when\n1,2024-01-02\n2,2024-03-04\n');
    await vscode.window.showTextDocument(uri);
    const seen = await diagnosticsUntil(uri, 'an extra-label', s => codes(s).join() === 'extra-label');
    assert.deepStrictEqual(seen[0].range, [0, 2, 0, 6]);
    await applyFix(uri, rangeOf(seen[0]), /^Add the field "when" to the schema/);
    await diagnosticsUntil(uri, 'the extra-label to go', s => s.length === 0);
    const schemaDoc = vscode.workspace.textDocuments.find(d => d.uri.fsPath === uriOf('extra.schema.json').fsPath)!;
    assert.deepStrictEqual(JSON.parse(schemaDoc.getText()).fields[1], { name: 'when', type: 'date' });
  });

  test('a broken schema is diagnosed in the schema file, at the bad value', async function () {
    this.timeout(LONG);
    const schemaUri = write('broken.schema.json', '{\n  "fields": [\n    { "name": "a", "type": "integr" }\n  ]\n}\n');
    const uri = write('broken.csv', 'a\n1\n');
    await vscode.window.showTextDocument(uri);
    const seen = await diagnosticsUntil(uri, 'the schema-error', s => codes(s).join() === 'schema-error');
    assert.match(seen[0].message, /unknown type "integr"/);
    const inSchema = await diagnosticsUntil(schemaUri, 'the problem in the schema file', s => s.length === 1);
    assert.strictEqual(inSchema[0].code, 'invalid-schema');
    assert.deepStrictEqual(inSchema[0].range, [2, 27, 2, 35], 'the "integr" value');
    // fixing the schema on disk clears both
    write('broken.schema.json', '{\n  "fields": [\n    { "name": "a", "type": "integer" }\n  ]\n}\n');
    await diagnosticsUntil(uri, 'the dataset to be clean', s => s.length === 0);
    await diagnosticsUntil(schemaUri, 'the schema file to be clean', s => s.length === 0);
  });

  test('at most strata.validation.maxProblems per file, plus one summary with the count per type', async function () {
    this.timeout(LONG);
    const config = vscode.workspace.getConfiguration('strata');
    await config.update('validation.maxProblems', 2, vscode.ConfigurationTarget.Workspace);
    try {
      write('many.schema.json', JSON.stringify({ fields: [{ name: 'n', type: 'integer' }, { name: 'label', type: 'string' }] }) + '\n');
      const uri = write('many.csv', 'n,label\n1.5,a\n2.5,b\n3.5,c\n4.5,d\n');
      await vscode.window.showTextDocument(uri);
      const seen = await diagnosticsUntil(uri, 'two problems and a summary', s => s.length === 3);
      assert.deepStrictEqual(seen.map(s => s.code), ['type-error', 'type-error', 'summary']);
      assert.strictEqual(seen[2].message, '4 problems in this file; the first 2 are listed. By type: 4 type-error.');
    } finally {
      await config.update('validation.maxProblems', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('a Parquet file is validated when it opens in the preview, without being opened as text', async function () {
    this.timeout(LONG);
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'models', 'metrics.parquet');
    await vscode.commands.executeCommand('vscode.open', uri);
    const seen = await diagnosticsUntil(uri, 'the no-schema offer', s => s.some(d => d.code === 'no-schema'));
    assert.ok(seen.every(d => d.range.join() === '0,0,0,0'), JSON.stringify(seen));
    assert.ok(!vscode.workspace.textDocuments.some(d => d.uri.toString() === uri.toString()), 'the Parquet file was opened as text');
  });

  test('editing a schema file gets the Table Schema JSON validation (sidecar and data package)', async function () {
    this.timeout(LONG);
    const schemaUri = write('checked.schema.json', '{ "fields": [ { "name": "a", "type": "integr" } ] }\n');
    const pkgUri = write('datapackage.json', JSON.stringify({ resources: [{ name: 'x', path: 'nothing.csv', schema: { fields: [{ name: 'a', type: 'integr' }] } }] }, null, 2) + '\n');
    for (const uri of [schemaUri, pkgUri]) {
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc);
      const fromJson = await waitFor(`JSON schema validation of ${uri.path}`,
        async () => vscode.languages.getDiagnostics(uri).filter(d => d.source !== 'strata'),
        ds => ds.length > 0, LONG - 20_000);
      const at = fromJson.map(d => doc.getText(d.range));
      assert.ok(at.includes('"integr"'), `JSON diagnostics at: ${at.join(' | ')}`);
    }
    rmSync(pkgUri.fsPath);
  });

  test('Validate Dataset on a JSON Lines file: a problem at its value in the record\'s line', async function () {
    this.timeout(LONG);
    write('events.schema.json', JSON.stringify({ fields: [{ name: 'n', type: 'integer' }, { name: 'kind', type: 'string' }] }) + '\n');
    const uri = write('events.jsonl', '{"n": 1, "kind": "a"}\n{"n": "x", "kind": "b"}\n');
    const out = await vscode.commands.executeCommand<{ summary: { total: number } }>('strata.validate', uri);
    assert.strictEqual(out?.summary.total, 1);
    const seen = await diagnosticsUntil(uri, 'the type-error', s => codes(s).join() === 'type-error');
    // line 2 (0-based 1), the value "x" of n from character 6
    assert.deepStrictEqual(seen[0].range, [1, 6, 1, 9]);
    assert.match(seen[0].message, /^"x" is not an integer/);
  });
});
