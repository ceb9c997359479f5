// Tests of web/emnist_preprocess.js against the package's Python (`npm test`, or `node --test web/`).
// The reference pictures and their steps come from web/emnist_preprocess_ref.py, run with $PYTHON (default the
// project's .venv): each step of the JavaScript must give the Python's answer on the same pixels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { renderStrokes, toGrey, gaussianFilter, inkOnBlack, inkBox, squareFrame, resizeBicubic, emnistSteps, toEmnist } from './emnist_preprocess.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const python = process.env.PYTHON ?? `${here}../.venv/bin/python`;
const { cases, renders } = JSON.parse(execFileSync(python, [`${here}emnist_preprocess_ref.py`], { maxBuffer: 1 << 30 }).toString());

const rgbaOf = (grey, alpha = 255) => Uint8ClampedArray.from(grey.flatMap(v => [v, v, v, alpha]));
const maxDiff = (a, b) => { assert.equal(a.length, b.length); let m = 0; for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i])); return m; };

test('the reference has every kind of picture', () => {
  for (const kind of ['strokes', 'scan_like', 'as it is']) assert.ok(cases.some(c => c.name.includes(kind)), kind);
});

for (const c of cases) test(`${c.name}: every step as in Python`, () => {
  const { g, w, h } = toGrey(rgbaOf(c.grey), c.w, c.h);
  assert.deepEqual([w, h], [c.w, c.h]);
  assert.ok(maxDiff(inkOnBlack(g, w, h), c.ink) < 1e-5, 'ink');
  const s = emnistSteps(g, w, h);
  assert.deepEqual([s.box.top, s.box.bottom, s.box.left, s.box.right], c.box);
  assert.deepEqual([s.roi.h, s.roi.w], c.roi);
  assert.ok(maxDiff(s.square.x, c.square) < 1e-4, 'square');
  assert.ok(maxDiff(s.emnist, c.emnist) <= 1, 'emnist: at most 1 grey level apart');
  assert.deepEqual(Array.from(toEmnist(rgbaOf(c.grey), c.w, c.h)), Array.from(s.emnist));
});

test('strokes rendered as render_strokes renders them', () => {
  assert.ok(renders.length >= 10);
  for (const r of renders) {
    const { g } = renderStrokes(r.strokes);
    assert.ok(maxDiff(g.map(v => Math.round(v * 255)), r.grey) <= 1, JSON.stringify(r.strokes).slice(0, 60));
  }
  assert.ok(renders.some(r => r.grey.includes(0)) && renders.every(r => r.grey.includes(255)));
});

test('Gaussian blur: sums kept, reflect mode at the edges', () => {
  const x = new Float32Array(25); x[0] = 1;   // a corner: reflect keeps all the mass inside
  const b = gaussianFilter(x, 5, 5, 1);
  assert.ok(Math.abs(b.reduce((a, v) => a + v, 0) - 1) < 1e-6);
  assert.ok(b[0] > b[1] && b[1] > b[2] && Math.abs(b[1] - b[5]) < 1e-7);
});

test('transparency is white paper', () => {
  const { g } = toGrey(Uint8ClampedArray.from([0, 0, 0, 0, 0, 0, 0, 255]), 2, 1);
  assert.deepEqual(Array.from(g), [1, 0]);
});

test('large pictures are shrunk by whole blocks, huge ones refused', () => {
  const { g, w, h } = toGrey(new Uint8ClampedArray(2050 * 3 * 4).fill(255), 2050, 3);
  assert.deepEqual([w, h], [684, 1]); assert.equal(g[0], 1);
  assert.throws(() => toGrey(new Uint8ClampedArray(4), 8000, 6000), /more than the 40000000/);
  assert.throws(() => toGrey(new Uint8ClampedArray(0), 0, 5), /empty image/);
});

test('a blank picture has no ink', () => {
  const { g, w, h } = toGrey(rgbaOf(new Array(100).fill(255)), 10, 10);
  assert.throws(() => emnistSteps(g, w, h), /no ink found/);
  assert.throws(() => inkBox(new Float32Array(4), 2, 2), /no ink found above the threshold 0.1/);
});

test('square frame: centred, border rounded half to even as Python', () => {
  const { x, side } = squareFrame(Float32Array.from([1, 1]), 2, 1, 2, 28);   // side 2: border round(2/12) = 0
  assert.equal(side, 2); assert.deepEqual(Array.from(x), [1, 1, 0, 0]);
  assert.equal(squareFrame(new Float32Array(30), 30, 1).side, 30 + 2 * 2);   // 30/12 = 2.5 -> 2, not 3
});

test('resize: a constant stays constant, 28 stays as it is', () => {
  assert.ok(maxDiff(resizeBicubic(new Float32Array(100 * 100).fill(0.5), 100), new Float32Array(784).fill(0.5)) < 1e-6);
  const x = Float32Array.from({ length: 784 }, (_, i) => i % 7);
  assert.deepEqual(Array.from(resizeBicubic(x, 28)), Array.from(x));
});
