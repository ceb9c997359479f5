// The Draw a character widget (web/draw.html): a pad for the mouse or a finger, or a photo of one character, turned
// into EMNIST's 28×28 image (emnist_preprocess.js) and read by the bundled model (model.onnx, exported by
// `emnist-export --onnx` when the site is built) with onnxruntime-web, single-threaded WASM, in the page itself.
// After each answer the widget's element carries `data-n` (answers so far) and `.emnist` = {image, top, ms, source}.
import * as ort from './ort.wasm.min.mjs';
import { toEmnist, strokesToEmnist } from './emnist_preprocess.js';

const PEN = 18, TOP_K = 5;   // pen width in canvas pixels, as render_strokes and DrawPad; characters shown
ort.env.wasm.numThreads = 1;   // multi-threaded WASM needs cross-origin isolation, which GitHub Pages cannot send
ort.env.wasm.wasmPaths = new URL('./', import.meta.url).href;   // the runtime's files beside this one, not a CDN

// The model and its class names, loaded once for every widget on the page.
const model = (async () => {
  const classes = (await (await fetch(new URL('model.json', import.meta.url))).json()).classes;
  const session = await ort.InferenceSession.create(new URL('model.onnx', import.meta.url).href, { executionProviders: ['wasm'] });
  return { session, classes };
})();

// The top `k` (class, probability) pairs of one uint8 [784] image.
async function predictTop(image, k = TOP_K) {
  const { session, classes } = await model;
  const out = await session.run({ images: new ort.Tensor('uint8', image, [1, 28, 28]) });
  const p = Array.from(out.probs.data);
  return p.map((v, i) => [classes[i], v]).sort((a, b) => b[1] - a[1]).slice(0, k);
}

// RGBA pixels of a picture file, decoded by the browser as they are (no colour conversion).
async function filePixels(file) {
  const bmp = await createImageBitmap(file, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  const c = document.createElement('canvas'); c.width = bmp.width; c.height = bmp.height;
  const ctx = c.getContext('2d', { willReadFrequently: true }); ctx.drawImage(bmp, 0, 0);
  return { bmp, data: ctx.getImageData(0, 0, bmp.width, bmp.height).data, w: bmp.width, h: bmp.height };
}

function setup(root) {
  const $ = s => root.querySelector(s), pad = $('.emnist-draw-pad'), seen = $('.emnist-draw-28');
  const ctx = pad.getContext('2d', { willReadFrequently: true }), status = $('.emnist-draw-status'), list = $('.emnist-draw-top');
  let strokes = [], drawing = false, photo = false, n = 0, queue = Promise.resolve();

  function reset() {   // no answer shown
    seen.getContext('2d').clearRect(0, 0, 28, 28); list.replaceChildren();
    root.emnist = null; status.textContent = 'Draw one character';
  }
  function clear() {   // no drawing and no answer
    strokes = []; photo = false; ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, pad.width, pad.height); reset();
  }
  function show(image, top, t0, source) {
    const img = seen.getContext('2d').createImageData(28, 28);
    image.forEach((v, i) => img.data.set([v, v, v, 255], 4 * i));
    seen.getContext('2d').putImageData(img, 0, 0);
    list.replaceChildren(...top.map(([c, p]) => {
      const li = document.createElement('li');
      li.innerHTML = `<b></b><span class="emnist-draw-bar"><span style="width:${(100 * p).toFixed(1)}%"></span></span><span>${(100 * p).toFixed(1)}%</span>`;
      li.querySelector('b').textContent = c; return li;
    }));
    root.emnist = { image: Array.from(image), top, ms: performance.now() - t0, source }; root.dataset.state = 'ready';
    status.textContent = `${source}: ${top[0][0]} (${root.emnist.ms.toFixed(0)} ms)`;
  }
  // Convert (`convert` returns the 28×28 image), predict, show; "no ink" asks for a character, other errors are shown.
  function read(convert, t0, source) {
    queue = queue.then(async () => {
      try { const image = convert(); show(image, await predictTop(image), t0, source); }
      catch (e) { reset(); if (!/no ink found/.test(e.message)) { root.dataset.state = 'error'; status.textContent = `${source}: ${e.message}`; } }
      root.dataset.n = ++n;
    });
  }
  const at = e => { const r = pad.getBoundingClientRect(); return [(e.clientX - r.left) * pad.width / r.width, (e.clientY - r.top) * pad.height / r.height]; };
  const dot = ([x, y]) => { ctx.beginPath(); ctx.arc(x, y, PEN / 2, 0, 2 * Math.PI); ctx.fill(); };
  // The strokes are recorded as points and drawn on the canvas for the eye; the model reads them rendered by
  // `strokesToEmnist`, the rule of the package's `render_strokes`, so the page and the notebook's pad agree.
  pad.addEventListener('pointerdown', e => {
    if (photo) clear();   // a stroke after a photo starts a new drawing
    drawing = true; strokes.push([at(e)]); pad.setPointerCapture(e.pointerId); ctx.fillStyle = '#000'; dot(strokes.at(-1)[0]);
  });
  pad.addEventListener('pointermove', e => {
    if (!drawing) return;
    const s = strokes.at(-1), p = at(e); ctx.lineWidth = PEN; ctx.lineCap = ctx.lineJoin = 'round'; ctx.strokeStyle = '#000';
    ctx.beginPath(); ctx.moveTo(...s.at(-1)); ctx.lineTo(...p); ctx.stroke(); s.push(p);
  });
  const up = () => {
    if (!drawing) return; drawing = false;
    const t0 = performance.now(), done = strokes.map(s => s.slice());
    read(() => strokesToEmnist(done, pad.width, PEN), t0, 'drawing');
  };
  pad.addEventListener('pointerup', up); pad.addEventListener('pointercancel', up);
  $('.emnist-draw-clear').addEventListener('click', () => { queue = queue.then(clear); });
  $('.emnist-draw-file').addEventListener('change', async e => {
    const file = e.target.files[0]; if (!file) return;
    const t0 = performance.now();
    try {
      const px = await filePixels(file), s = Math.min(pad.width / px.w, pad.height / px.h);
      ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, pad.width, pad.height);
      ctx.drawImage(px.bmp, (pad.width - px.w * s) / 2, (pad.height - px.h * s) / 2, px.w * s, px.h * s);
      strokes = []; photo = true; read(() => toEmnist(px.data, px.w, px.h), t0, file.name);
    } catch (err) { root.dataset.state = 'error'; status.textContent = `${file.name}: not a picture this browser can read (${err.message})`; root.dataset.n = ++n; }
    e.target.value = '';   // the same file can be chosen again
  });
  clear();
  model.then(() => { root.dataset.state = 'ready'; status.textContent = 'Draw one character'; },
             e => { root.dataset.state = 'error'; status.textContent = `The model could not be loaded: ${e.message}`; });
}

document.querySelectorAll('.emnist-draw').forEach(setup);
