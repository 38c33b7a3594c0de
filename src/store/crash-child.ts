// Child process of the crash-safety test: appends batches to a store forever, printing each batch number once it
// is committed, until the test kills it with SIGKILL.
// Usage: node crash-child.js <db> <first batch> <batch size> <full|normal>
import { SqliteStore } from './sqlite.js';
import { makeEvent } from './testkit.js';
import type { EventRecord } from './store.js';

const [path, firstArg, sizeArg, synchronous] = process.argv.slice(2);
const size = Number(sizeArg);
const store = new SqliteStore(path, { synchronous: synchronous === 'normal' ? 'normal' : 'full' });
for (let n = Number(firstArg); ; n++) {
  const batch: EventRecord[] = [];
  for (let i = 0; i < size; i++) batch.push({ ...makeEvent(n * size + i), flow: n });
  store.appendEvents(batch);
  // Pipes are written synchronously on Linux: once this returns, the test can read the line.
  process.stdout.write(`${n}\n`);
}
