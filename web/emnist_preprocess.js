// EMNIST's conversion of one handwritten character to a 28×28 image, in the browser.
//
// The same steps, constants and arithmetic as `emnist_nb.preprocess.emnist_steps` (nbs/course/30_preprocess.ipynb),
// which follows Cohen et al. 2017, §II-A: greyscale, ink found on either background, Gaussian blur, crop to the
// region of interest, centre in a square keeping the aspect ratio, a 2-pixel border, resize to 28×28.
// Images are row-major Float32Arrays with their width and height beside them. Tested against the Python functions
// by web/emnist_preprocess.test.mjs (`npm test`).

export const MAX_PIXELS = 40_000_000;  // as preprocess.MAX_PIXELS: larger pictures are refused, not decoded

/**
 * Greyscale of RGBA pixels (ITU-R 601 luma, as Pillow's convert('L')), transparency on white, as `preprocess.to_grey`.
 * @param {Uint8ClampedArray} rgba - [h*w*4] pixels, e.g. a canvas's ImageData.data
 * @param {number} w - width in pixels
 * @param {number} h - height in pixels
 * @param {number} [maxSide=1024] - larger pictures are shrunk by an integer factor k (the mean of each k×k block, as
 *   Pillow's reduce) to at most this many pixels a side
 * @returns {{g: Float32Array, w: number, h: number}} g [h*w], 0 black to 1 white, with its (shrunk) width and height
 * @throws {Error} "empty image" for 0 pixels, and above `MAX_PIXELS` pixels
 */
export function toGrey(rgba, w, h, maxSide = 1024) {
  if (!w || !h) throw new Error(`empty image (${w}×${h} pixels)`);
  if (w * h > MAX_PIXELS) throw new Error(`${w * h} pixels (${w}x${h}) is more than the ${MAX_PIXELS} this reader decodes; scale the picture down`);
  const L = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) {
    const a = rgba[4*i + 3] / 255, on = c => Math.round(a * c + (1 - a) * 255);   // over white paper
    L[i] = ((on(rgba[4*i]) * 19595 + on(rgba[4*i + 1]) * 38470 + on(rgba[4*i + 2]) * 7471 + 0x8000) >> 16);
  }
  const k = Math.ceil(Math.max(w, h) / maxSide);
  if (k <= 1) return { g: L.map(v => v / 255), w, h };
  const W = Math.ceil(w / k), H = Math.ceil(h / k), g = new Float32Array(W * H);
  for (let Y = 0; Y < H; Y++) for (let X = 0; X < W; X++) {
    let s = 0, n = 0;
    for (let y = Y * k; y < Math.min(h, Y * k + k); y++) for (let x = X * k; x < Math.min(w, X * k + k); x++) { s += L[y * w + x]; n++; }
    g[Y * W + X] = Math.round(s / n) / 255;
  }
  return { g, w: W, h: H };
}

/**
 * Strokes rendered as `demo.render_strokes` renders them: round-capped lines `width` pixels wide, black on white,
 * anti-aliased by distance (a pixel is as dark as the pen covers it; pixel centres at (x + 0.5, y + 0.5)).
 * @param {number[][][]} strokes - [[[x, y], ...], ...], points in canvas pixels; one point is a dot
 * @param {number} [size=280] - side of the square canvas, in pixels
 * @param {number} [width=18] - pen width, in pixels
 * @returns {{g: Float32Array, w: number, h: number}} g [size*size], 0 black to 1 white (uint8 levels / 255)
 */
export function renderStrokes(strokes, size = 280, width = 18) {
  const d = new Float64Array(size * size).fill(Infinity);
  for (const s of strokes) for (let i = 0; i < Math.max(1, s.length - 1) && s.length; i++) {   // one point: a segment of length 0
    const [x0, y0] = s[i], [x1, y1] = s[Math.min(i + 1, s.length - 1)], dx = x1 - x0, dy = y1 - y0, l2 = dx * dx + dy * dy;
    const m = width / 2 + 1, clip = v => Math.min(size, Math.max(0, v));   // farther pixels are not covered: skip them
    const X0 = clip(Math.floor(Math.min(x0, x1) - m)), X1 = clip(Math.ceil(Math.max(x0, x1) + m));
    const Y0 = clip(Math.floor(Math.min(y0, y1) - m)), Y1 = clip(Math.ceil(Math.max(y0, y1) + m));
    for (let y = Y0; y < Y1; y++) for (let x = X0; x < X1; x++) {
      const px = x + 0.5, py = y + 0.5, t = l2 ? Math.min(1, Math.max(0, ((px - x0) * dx + (py - y0) * dy) / l2)) : 0;
      const e = Math.hypot(px - x0 - t * dx, py - y0 - t * dy);
      if (e < d[y * size + x]) d[y * size + x] = e;
    }
  }
  const g = new Float32Array(size * size);
  for (let i = 0; i < g.length; i++) g[i] = roundEven(255 * (1 - Math.min(1, Math.max(0, width / 2 + 0.5 - d[i])))) / 255;
  return { g, w: size, h: size };
}

// Index of `i` in a line of `n` pixels under scipy.ndimage's 'reflect' mode (d c b a | a b c d | d c b a).
function reflect(i, n) {
  const p = 2 * n; i = ((i % p) + p) % p;
  return i < n ? i : p - 1 - i;
}

// 1-D Gaussian weights, as scipy.ndimage.gaussian_filter1d: radius int(4σ + 0.5), normalised to sum 1.
function gaussKernel(sigma) {
  const r = Math.floor(4 * sigma + 0.5), k = [];
  for (let x = -r; x <= r; x++) k.push(Math.exp(-0.5 * x * x / (sigma * sigma)));
  const s = k.reduce((a, b) => a + b, 0);
  return k.map(v => v / s);
}

/**
 * Gaussian blur, as scipy.ndimage.gaussian_filter: reflect mode, truncated at 4σ, axis 0 then axis 1, float32 between.
 * @param {Float32Array} x - [h*w] image
 * @param {number} w - width
 * @param {number} h - height
 * @param {number} sigma - standard deviation, in pixels
 * @returns {Float32Array} a new [h*w] image
 */
export function gaussianFilter(x, w, h, sigma) {
  const k = gaussKernel(sigma), r = (k.length - 1) / 2, t = new Float32Array(w * h), out = new Float32Array(w * h);
  for (let c = 0; c < w; c++) for (let y = 0; y < h; y++) {   // axis 0: along each column
    let s = 0;
    for (let j = -r; j <= r; j++) s += k[j + r] * x[reflect(y + j, h) * w + c];
    t[y * w + c] = s;
  }
  for (let y = 0; y < h; y++) for (let c = 0; c < w; c++) {   // axis 1: along each row
    let s = 0;
    for (let j = -r; j <= r; j++) s += k[j + r] * t[y * w + reflect(c + j, w)];
    out[y * w + c] = s;
  }
  return out;
}

// Median of a Float32Array, as numpy.median (the mean of the two middle values when the length is even).
function median(x) {
  const s = Float32Array.from(x).sort(), n = s.length;
  return n % 2 ? s[(n - 1) / 2] : Math.fround((s[n / 2 - 1] + s[n / 2]) / 2);
}

/**
 * Map paper to 0 and ink to 1, as `preprocess.ink_on_black`: paper is the median of the picture blurred by σ = 1, ink
 * the extreme farther from it, so dark-on-light pictures are inverted.
 * @param {Float32Array} g - [h*w] greyscale, 0 black to 1 white
 * @param {number} w - width
 * @param {number} h - height
 * @param {number} [minContrast=0.1] - least difference between paper and ink, on the 0-1 scale
 * @returns {Float32Array} [h*w], paper 0, ink 1
 * @throws {Error} "no ink found" when ink and paper differ by less than `minContrast`
 */
export function inkOnBlack(g, w, h, minContrast = 0.1) {
  const b = gaussianFilter(g, w, h, 1), paper = median(b);
  let lo = Infinity, hi = -Infinity;
  for (const v of b) { if (v < lo) lo = v; if (v > hi) hi = v; }
  const ink = paper - lo > hi - paper ? lo : hi, c = Math.abs(ink - paper);
  if (c < minContrast) throw new Error(`no ink found: the picture is uniform (ink-paper contrast ${c.toFixed(3)} < ${minContrast}), e.g. all white, all black or fully transparent`);
  return g.map(v => Math.min(1, Math.max(0, (v - paper) / (ink - paper))));
}

/**
 * Bounding box of the pixels above `thresh`, as `preprocess.ink_box`.
 * @param {Float32Array} x - [h*w], paper 0, ink 1
 * @param {number} w - width
 * @param {number} h - height
 * @param {number} [thresh=0.1] - pixels above it are ink
 * @returns {{top: number, bottom: number, left: number, right: number}} bottom and right excluded
 * @throws {Error} "no ink found above the threshold" when no pixel is above `thresh`
 */
export function inkBox(x, w, h, thresh = 0.1) {
  let top = h, bottom = -1, left = w, right = -1;
  for (let y = 0; y < h; y++) for (let c = 0; c < w; c++) if (x[y * w + c] > thresh) {
    if (y < top) top = y; if (y > bottom) bottom = y; if (c < left) left = c; if (c > right) right = c;
  }
  if (bottom < 0) throw new Error(`no ink found above the threshold ${thresh}`);
  return { top, bottom: bottom + 1, left, right: right + 1 };
}

// Round half to even, as Python's round and numpy's round.
function roundEven(v) {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 ? r - 1 : r;
}

/**
 * Centre `roi` in a square with a border of `pad` pixels at `size`, as `preprocess.square_frame` (the border rounded
 * half to even, as Python's round).
 * @param {Float32Array} roi - [rh*rw], the region of interest
 * @param {number} rw - its width
 * @param {number} rh - its height
 * @param {number} [pad=2] - border, in pixels of the final size×size image
 * @param {number} [size=28] - side of the final image
 * @returns {{x: Float32Array, side: number}} x [side*side], `roi` centred, zeros around it
 */
export function squareFrame(roi, rw, rh, pad = 2, size = 28) {
  const side = Math.max(rh, rw), p = roundEven(side * pad / (size - 2 * pad)), n = side + 2 * p;
  const out = new Float32Array(n * n), r = p + Math.floor((side - rh) / 2), c = p + Math.floor((side - rw) / 2);
  for (let y = 0; y < rh; y++) out.set(roi.subarray(y * rw, (y + 1) * rw), (r + y) * n + c);
  return { x: out, side: n };
}

// Pillow's bicubic filter (a = -0.5), support 2.
function bicubic(x) {
  const a = -0.5; x = Math.abs(x);
  return x < 1 ? ((a + 2) * x - (a + 3)) * x * x + 1 : x < 2 ? (((x - 5) * x + 8) * x - 4) * a : 0;
}

// Weights of each output pixel over the input pixels, as Pillow's precompute_coeffs (Resample.c) for bicubic.
function coeffs(inSize, outSize) {
  const scale = inSize / outSize, fs = Math.max(scale, 1), support = 2 * fs, rows = [];
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    const xmin = Math.max(0, Math.trunc(center - support + 0.5)), xmax = Math.min(inSize, Math.trunc(center + support + 0.5));
    const k = [];
    for (let x = xmin; x < xmax; x++) k.push(bicubic((x - center + 0.5) / fs));
    const ww = k.reduce((a, b) => a + b, 0);
    rows.push({ xmin, k: ww ? k.map(v => v / ww) : k });
  }
  return rows;
}

/**
 * Resize a square float image as Pillow's Image.resize(BICUBIC) on a mode 'F' image (Resample.c: the filter widened
 * by the scale, so it averages when shrinking): rows then columns, float32 between the passes.
 * @param {Float32Array} x - [n*n] image
 * @param {number} n - its side
 * @param {number} [size=28] - side of the result
 * @returns {Float32Array} [size*size]
 */
export function resizeBicubic(x, n, size = 28) {
  if (n === size) return Float32Array.from(x);
  const cs = coeffs(n, size), t = new Float32Array(n * size), out = new Float32Array(size * size);
  for (let y = 0; y < n; y++) for (let X = 0; X < size; X++) {
    const { xmin, k } = cs[X]; let s = 0;
    for (let j = 0; j < k.length; j++) s += k[j] * x[y * n + xmin + j];
    t[y * size + X] = s;
  }
  for (let Y = 0; Y < size; Y++) for (let X = 0; X < size; X++) {
    const { xmin, k } = cs[Y]; let s = 0;
    for (let j = 0; j < k.length; j++) s += k[j] * t[(xmin + j) * size + X];
    out[Y * size + X] = s;
  }
  return out;
}

/**
 * Every step of the EMNIST conversion of a greyscale picture, as `preprocess.emnist_steps` with the same defaults
 * (σ = 1 at a 128-pixel frame and a 2-pixel border, as Cohen et al. 2017; ink threshold 0.1).
 * @param {Float32Array} g - [h*w] greyscale, 0 black to 1 white
 * @param {number} w - width
 * @param {number} h - height
 * @param {{sigma?: number, frame?: number, pad?: number, thresh?: number, minContrast?: number}} [opts]
 * @returns {{ink: Float32Array, box: object, sigma: number, blur: Float32Array, roi: object, square: object,
 *   emnist: Uint8Array}} emnist is [28*28], white ink on black, maximum 255
 * @throws {Error} "no ink found" on a blank picture
 */
export function emnistSteps(g, w, h, { sigma = 1, frame = 128, pad = 2, thresh = 0.1, minContrast = 0.1 } = {}) {
  const ink = inkOnBlack(g, w, h, minContrast), box = inkBox(gaussianFilter(ink, w, h, 1), w, h, thresh);
  const s = sigma * Math.max(box.bottom - box.top, box.right - box.left) / frame, blur = gaussianFilter(ink, w, h, s);
  const rb = inkBox(blur, w, h, thresh), rw = rb.right - rb.left, rh = rb.bottom - rb.top, roi = new Float32Array(rw * rh);
  for (let y = 0; y < rh; y++) roi.set(blur.subarray((rb.top + y) * w + rb.left, (rb.top + y) * w + rb.right), y * rw);
  const square = squareFrame(roi, rw, rh, pad), out = resizeBicubic(square.x, square.side);
  let max = 0;
  for (let i = 0; i < out.length; i++) { out[i] = Math.max(0, out[i]); if (out[i] > max) max = out[i]; }
  const f = Math.fround(255 / max), emnist = new Uint8Array(out.length);
  for (let i = 0; i < out.length; i++) emnist[i] = roundEven(Math.fround(out[i] * f));
  return { ink, box, sigma: s, blur, roi: { x: roi, w: rw, h: rh }, square, emnist };
}

/**
 * The 28×28 EMNIST image of strokes drawn on a canvas: `renderStrokes`, then `emnistSteps`, as `to_emnist(render_strokes(...))`.
 * @param {number[][][]} strokes - [[[x, y], ...], ...], points in canvas pixels
 * @param {number} [size=280] - side of the canvas
 * @param {number} [width=18] - pen width
 * @returns {Uint8Array} [784], white ink on black, maximum 255
 */
export function strokesToEmnist(strokes, size = 280, width = 18) {
  const { g, w, h } = renderStrokes(strokes, size, width);
  return emnistSteps(g, w, h).emnist;
}

/**
 * The 28×28 EMNIST image of a picture's RGBA pixels, as `preprocess.to_emnist` of the same picture.
 * @param {Uint8ClampedArray} rgba - [h*w*4], e.g. a canvas's ImageData.data
 * @param {number} w - width
 * @param {number} h - height
 * @returns {Uint8Array} [784], white ink on black, maximum 255
 * @throws {Error} as `toGrey` and `emnistSteps`
 */
export function toEmnist(rgba, w, h) {
  const { g, w: W, h: H } = toGrey(rgba, w, h);
  return emnistSteps(g, W, H).emnist;
}
