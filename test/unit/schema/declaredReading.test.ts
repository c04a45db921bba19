import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetSummary } from '../../../src/node/jobs/datasetSummary';
import type { JobContext } from '../../../src/node/jobs/jobTypes';
import { findResourceDialect } from '../../../src/node/schema/schemaDiscovery';
import { declaredReading } from '../../../src/node/schema/tableFiles';
import { sessionHandlers } from '../../../src/node/session/sessionHandlers';
import type { OpenOutput } from '../../../src/node/session/sessionJobs';
import { runCliIn } from '../helpers/cliLines';

/** Lab readings: no header, `;` between values, `%` comment lines; sniffed alone, the comments are rows. */
const READINGS = '% source: lab 3\n1;20.5\n2;21.0\n% pause\n3;19.8\n';
const LATER = '% source: lab 3, recalibrated\n1;20.5\n2;21.0\n3;19.8\n';
const DIALECT = { delimiter: ';', header: false, commentChar: '%' };
const SCHEMA = { fields: [{ name: 'sensor', type: 'integer' }, { name: 'temp_c', type: 'number' }] };

const root = mkdtempSync(join(tmpdir(), 'strata-declared-'));
const lab = join(root, 'lab');
const ctx = (): JobContext => ({ signal: new AbortController().signal, progress: () => undefined });

beforeAll(() => {
  mkdirSync(join(lab, 'raw'), { recursive: true });
  writeFileSync(join(lab, 'raw', 'readings.csv'), READINGS);
  writeFileSync(join(lab, 'raw', 'later.csv'), LATER);
  writeFileSync(join(lab, 'raw', 'unlisted.csv'), READINGS);
  writeFileSync(join(lab, 'later-dialect.json'), JSON.stringify(DIALECT));
  writeFileSync(join(lab, 'datapackage.json'), JSON.stringify({
    resources: [
      { name: 'readings', path: 'raw/readings.csv', dialect: DIALECT, schema: SCHEMA },
      { name: 'later', path: 'raw/later.csv', dialect: 'later-dialect.json', schema: SCHEMA },
    ],
  }));
  mkdirSync(join(root, 'broken'));
  writeFileSync(join(root, 'broken', 'datapackage.json'), '{"resources": [');
  writeFileSync(join(root, 'broken', 'x.csv'), READINGS);
});
afterAll(async () => {
  for (const f of ['readings.csv', 'unlisted.csv']) { await sessionHandlers.close({ path: join(lab, 'raw', f) }, ctx()); }
  rmSync(root, { recursive: true, force: true });
});

describe('a data package\'s Table Dialect for every reader', () => {
  it('is found in the nearest package listing the file, inline or in its own file; none for other files', async () => {
    expect((await findResourceDialect(join(lab, 'raw', 'readings.csv')))?.dialect).toEqual(DIALECT);
    expect((await findResourceDialect(join(lab, 'raw', 'later.csv')))?.dialect).toEqual(DIALECT);
    expect(await findResourceDialect(join(lab, 'raw', 'unlisted.csv'))).toBeNull();
    // an unreadable package: validation reports it; readers sniff
    expect(await findResourceDialect(join(root, 'broken', 'x.csv'))).toBeNull();
    // the schema of a file without a header row names its columns
    expect(await declaredReading(join(lab, 'raw', 'readings.csv'))).toMatchObject(
      { csv: { delimiter: ';', header: false, escapeChar: null, commentChar: '%', fieldNames: ['sensor', 'temp_c'] } });
    expect(await declaredReading(join(lab, 'raw', 'unlisted.csv'))).toEqual({});
  });

  it('strata head and profile read the file as declared; the same bytes unlisted are sniffed', async () => {
    const head = await runCliIn(join(lab, 'raw'), ['head', 'readings.csv', '--json']);
    expect(head.code).toBe(0);
    expect(JSON.parse(head.out.join('\n'))).toMatchObject({
      rowCount: 3, fields: [{ name: 'sensor', type: 'integer' }, { name: 'temp_c', type: 'number' }], rows: [[1, 20.5], [2, 21], [3, 19.8]],
    });
    const unlisted = await runCliIn(join(lab, 'raw'), ['head', 'unlisted.csv', '--json']);
    expect(JSON.parse(unlisted.out.join('\n')).rows).toHaveLength(4);
    const profile = await runCliIn(lab, ['profile', 'raw/readings.csv', '--json']);
    expect(profile.code).toBe(0);
    expect(JSON.parse(profile.out.join('\n'))).toMatchObject({ rows: { value: 3, exact: true }, columns: 2 });
  });

  it('the preview and the Dataset Explorer read it as declared', async () => {
    const path = join(lab, 'raw', 'readings.csv');
    const opened = await sessionHandlers.open({ path }, ctx()) as OpenOutput;
    expect(opened).toMatchObject({ rowCount: { value: 3 } });
    // the status bar says how the file is read, and that the data package said so
    expect(opened.reading).toEqual({ delimiter: ';', quoteChar: '"', header: false, commentChar: '%', linesAbove: 0, declared: true });
    // the same bytes unlisted: sniffed, and no comment character
    const sniffed = await sessionHandlers.open({ path: join(lab, 'raw', 'unlisted.csv') }, ctx()) as OpenOutput;
    expect(sniffed.reading).toMatchObject({ declared: false });
    expect(sniffed.reading?.commentChar).toBeUndefined();
    expect(opened.fields.map(f => [f.name, f.type])).toEqual([['sensor', 'integer'], ['temp_c', 'number']]);
    const summary = await datasetSummary({ path }, ctx());
    expect([summary.rows, summary.columns]).toEqual([3, 2]);
  });

  it('strata diff reads both sides as declared: files differing only in comments are identical', async () => {
    const same = await runCliIn(lab, ['diff', 'raw/readings.csv', 'raw/later.csv']);
    expect(same.code).toBe(0);
    const sniffed = await runCliIn(lab, ['diff', 'raw/unlisted.csv', 'raw/later.csv']);
    expect(sniffed.code).toBe(1);
  });
});
