// Entry point the extension host loads (extensionTestsPath): runs every bundled *.test.js beside it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  // STRATA_GREP runs only the tests whose full title matches (a plain substring), for work on one area
  const grep = process.env.STRATA_GREP;
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 30000, reporter: 'spec', ...(grep ? { grep } : {}) });
  for (const f of fs.readdirSync(__dirname).sort()) {
    if (f.endsWith('.test.js')) { mocha.addFile(path.join(__dirname, f)); }
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run(failures => {
      // the plain closing line CI reads
      console.log(`integration: ${runner.stats?.passes ?? 0} passed, ${failures} failed`);
      if (failures) { reject(new Error(`${failures} integration tests failed`)); } else { resolve(); }
    });
  });
}
