// UI tier runner: each *.ui.mjs file starts its own workbench; their counts add up to one closing line.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
let passed = 0;
let failed = 0;
for (const file of readdirSync(dir).filter(f => f.endsWith('.ui.mjs')).sort()) {
  console.log(`\n${file}`);
  const r = spawnSync(process.execPath, [path.join(dir, file)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
  const out = r.stdout ?? '';
  process.stdout.write(out.replace(/^ui: \d+ passed, \d+ failed.*$/gm, ''));
  const m = [...out.matchAll(/^ui: (\d+) passed, (\d+) failed/gm)].pop();
  if (m) { passed += Number(m[1]); failed += Number(m[2]); }
  if (!m || r.status !== 0) { failed += m && Number(m[2]) > 0 ? 0 : 1; }
}
console.log(`ui: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
