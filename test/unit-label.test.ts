import { test } from 'node:test';
import assert from 'node:assert/strict';
import { instanceLabel, sharedPrefix, truncateMiddle, unitLabels } from '../src/ui/panes/unit-label.js';

const naming = { workerTemplate: 'dsa110-absurd-worker@.service', known: ['dsa110-mosaic-daemon.service'] };
const units = ['dsa110-mosaic-daemon.service', 'dsa110-absurd-worker@1.service', 'dsa110-absurd-worker@12.service'];

test('a column takes the longest form in which every label fits', () => {
  const cases: [number, string[]][] = [
    [30, ['dsa110-mosaic-daemon', 'dsa110-absurd-worker@1', 'dsa110-absurd-worker@12']],
    [23, ['dsa110-mosaic-daemon', 'dsa110-absurd-worker@1', 'dsa110-absurd-worker@12']],
    // One label does not fit: the whole column drops the prefix the configured units share.
    [22, ['mosaic-daemon', 'absurd-worker@1', 'absurd-worker@12']],
    [16, ['mosaic-daemon', 'absurd-worker@1', 'absurd-worker@12']],
    // Workers by instance; the producer keeps its name.
    [15, ['mosaic-daemon', 'worker@1', 'worker@12']],
    [13, ['mosaic-daemon', 'worker@1', 'worker@12']],
    // Still too wide: cut in the middle, start and end kept.
    [9, ['mosa…emon', 'worker@1', 'worker@12']],
  ];
  for (const [width, expected] of cases) {
    const labels = unitLabels(units, width, naming);
    assert.deepEqual(units.map((u) => labels.get(u)), expected, `width ${width}`);
  }
});

test('units outside the configured naming keep their names and never change the site units’ form', () => {
  const labels = unitLabels([...units, 'absurd-top', 'nginx.service'], 16, naming);
  assert.deepEqual([...labels.values()], ['mosaic-daemon', 'absurd-worker@1', 'absurd-worker@12', 'absurd-top', 'nginx']);
});

test('another site’s naming', () => {
  const other = { workerTemplate: 'ovro-lwa-worker@.service', known: ['ovro-lwa-ingest.service'] };
  const labels = unitLabels(['ovro-lwa-ingest.service', 'ovro-lwa-worker@3.service'], 12, other);
  assert.deepEqual([...labels.values()], ['ingest', 'worker@3']);
  // Nothing shared, no template instance: plain names, cut in the middle.
  const plain = unitLabels(['producer.service', 'consumer-with-a-long-name.service'], 12, { workerTemplate: 'w@.service', known: ['producer.service'] });
  assert.deepEqual([...plain.values()], ['producer', 'consum…-name']);
});

test('pieces', () => {
  assert.equal(sharedPrefix(['dsa110-mosaic-daemon', 'dsa110-absurd-worker']), 'dsa110-');
  assert.equal(sharedPrefix(['dsa110-absurd-worker@1', 'dsa110-absurd-worker@2']), 'dsa110-absurd-');
  assert.equal(sharedPrefix(['abc', 'abd']), '', 'never splits a word');
  assert.equal(sharedPrefix(['dsa110-x', 'dsa110-x']), '', 'one name has nothing to share with');
  assert.equal(instanceLabel('dsa110-absurd-worker@7.service', naming.workerTemplate), 'worker@7');
  assert.equal(instanceLabel('dsa110-absurd-worker@.service', naming.workerTemplate), null);
  assert.equal(instanceLabel('dsa110-mosaic-daemon.service', naming.workerTemplate), null);
  assert.equal(truncateMiddle('dsa110-mosaic-daemon', 20), 'dsa110-mosaic-daemon');
  assert.equal(truncateMiddle('dsa110-mosaic-daemon', 11), 'dsa11…aemon');
  assert.equal(truncateMiddle('画像処理-worker', 8), '画像…ker');
  assert.equal(truncateMiddle('abc', 1), '…');
  assert.equal(truncateMiddle('abc', 0), '');
});
