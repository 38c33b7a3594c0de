import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex, bytesToHex } from './hex.js';

test('annotated hex ignores comments and spacing', () => {
  const b = hex`
    00 06   # length
    ff      # unit id
  `;
  assert.equal(bytesToHex(b), '0006ff');
});

test('odd digit counts are refused', () => {
  assert.throws(() => hex`0 06`);
});
