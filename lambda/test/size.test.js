'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

test('index.js fits the 4096-byte inline ZipFile limit', () => {
  const size = fs.statSync(path.join(__dirname, '..', 'index.js')).size;
  assert.ok(size <= 4096, `index.js is ${size} bytes`);
});
