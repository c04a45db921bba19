// Regenerates the sample workspace in samples/ (deterministic: same bytes every run).
import { mkdirSync, writeFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = a => a[Math.floor(rand() * a.length)];
const q = s => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

mkdirSync('samples/sales', { recursive: true });
mkdirSync('samples/sensors', { recursive: true });
mkdirSync('samples/web', { recursive: true });

const first = ['Ada', 'Grace', 'Alan', 'Mei', 'Pat', 'Ngozi', 'Ravi', 'Sofia', 'Lars', 'Aiko', 'Omar', 'Chloé'];
const last = ['Lovelace', 'Hopper', 'Turing', 'Lin', "O'Brien", 'Okafor', 'Patel', 'García', 'Nilsen', 'Tanaka', 'Haddad', 'Dubois'];
const countries = ['GB', 'US', 'CN', 'IE', 'NG', 'IN', 'ES', 'NO', 'JP', 'EG', 'FR'];

const customers = ['customer_id\tname\temail\tcountry\tsignup_date\tsegment'];
for (let i = 1; i <= 120; i++) {
  const f = pick(first); const l = pick(last);
  const email = rand() < 0.08 ? '' : `${f}.${l}`.toLowerCase().replace(/[^a-z.]/g, '') + `${i}@example.com`;
  const date = rand() < 0.05 ? '' : `2023-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`;
  customers.push([i, `${f} ${l}`, email, pick(countries), date, pick(['consumer', 'business', 'enterprise'])].join('\t'));
}
writeFileSync('samples/sales/customers.tsv', customers.join('\n') + '\n');

const products = ['Widget, small', 'Widget, large', 'Gadget "Pro"', 'Cable\n(2 m)', 'Adapter', 'Stand'];
const orders = ['order_id,customer_id,ordered_at,product,quantity,unit_price,discount,status,note'];
for (let i = 1; i <= 500; i++) {
  const qty = 1 + Math.floor(rand() * 5);
  const price = (5 + rand() * 95).toFixed(2);
  const discount = rand() < 0.3 ? '' : (rand() * 0.25).toFixed(2);
  const ts = `2024-0${1 + Math.floor(rand() * 9)}-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}T${String(Math.floor(rand() * 24)).padStart(2, '0')}:${String(Math.floor(rand() * 60)).padStart(2, '0')}:00Z`;
  const note = rand() < 0.85 ? '' : pick(['gift wrap', 'leave at door, please', 'call "before" delivery']);
  orders.push([1000 + i, 1 + Math.floor(rand() * 120), ts, q(pick(products)), qty, price, discount, pick(['shipped', 'pending', 'returned', 'shipped']), q(note)].join(','));
}
writeFileSync('samples/sales/orders.csv', orders.join('\r\n') + '\r\n');

const events = [];
for (let i = 0; i < 300; i++) {
  const e = { ts: new Date(Date.UTC(2024, 2, 1, 8, 0, i * 37)).toISOString(), session: `s${1 + Math.floor(rand() * 40)}`, event: pick(['view', 'click', 'add_to_cart', 'purchase']), page: pick(['/', '/pricing', '/docs', '/cart']) };
  if (rand() < 0.3) { e.props = { experiment: pick(['A', 'B']), latency_ms: Math.round(rand() * 900) }; }
  events.push(JSON.stringify(e));
}
writeFileSync('samples/web/clickstream.jsonl', events.join('\n') + '\n');

const readings = ['station,ts,temperature_c,humidity_pct,pressure_hpa'];
for (let i = 0; i < 2000; i++) {
  const st = pick(['OSLO-01', 'OSLO-02', 'BERGEN-01', 'TROMSO-01']);
  const temp = rand() < 0.03 ? '' : (-5 + rand() * 25).toFixed(1);
  readings.push([st, new Date(Date.UTC(2024, 0, 1) + i * 3600_000).toISOString(), temp, Math.round(40 + rand() * 55), (990 + rand() * 40).toFixed(1)].join(','));
}
const tmpCsv = 'samples/sensors/.readings.tmp.csv';
writeFileSync(tmpCsv, readings.join('\n') + '\n');
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run(`COPY (SELECT station, ts::TIMESTAMP AS ts, temperature_c::DOUBLE AS temperature_c, humidity_pct::INTEGER AS humidity_pct, pressure_hpa::DOUBLE AS pressure_hpa FROM read_csv('${tmpCsv}', header=true) ORDER BY ts) TO 'samples/sensors/readings.parquet' (FORMAT parquet, COMPRESSION snappy)`);
const { unlinkSync } = await import('node:fs');
unlinkSync(tmpCsv);
console.log('samples written');
