import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WatchFolder } from './watch-folder.js';
import { Sensor } from './sensor.js';
import { SqliteStore } from '../store/sqlite.js';
import { REPO_ROOT } from '../common/corpus.js';

test('a watched folder ingests settled files once, moving them to ingested/ or failed/ with the reason', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-watch-'));
  const store = new SqliteStore(join(dir, 'lantern.db'));
  const inbox = join(dir, 'inbox');
  const lines: string[] = [];
  const watch = new WatchFolder(inbox, new Sensor(store), (l) => lines.push(l));
  copyFileSync(join(REPO_ROOT, 'test', 'testdata', 'loopback.pcap'), join(inbox, 'plant.pcap'));
  writeFileSync(join(inbox, 'notes.txt'), 'not a capture');
  assert.equal(await watch.poll(), 0, 'a new file waits one poll for its size to settle');
  assert.equal(await watch.poll(), 2);
  assert.ok(existsSync(join(inbox, 'ingested', 'plant.pcap')));
  assert.ok(existsSync(join(inbox, 'failed', 'notes.txt')));
  assert.match(readFileSync(join(inbox, 'failed', 'notes.txt.reason.txt'), 'utf8'), /./);
  assert.equal(await watch.poll(), 0);
  assert.equal((store.latestCounters()!.data as { frames: number }).frames, 38);
  assert.equal(lines.length, 2);
  store.close();
});
