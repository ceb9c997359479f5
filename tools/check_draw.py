"""Check the Draw a character page of the built site in headless Chromium, against the package's Python.

Serves the site on loopback and opens `draw.html` with Playwright driving the system's Chromium, as
`tools/check_site.py` does. Then:
- **Strokes.** Draws every stroke set of `emnist_nb.demo.STROKES` (the drawings of the lesson 33_demo) with the mouse,
  one press, moves and release a stroke, then again with a finger (touch events). After the last stroke the page's 28×28 image must match
  `to_emnist(render_strokes(strokes))` (mean absolute difference ≤ 3 grey levels, largest ≤ 40), and its top-1 must
  equal `Classifier.load().predict` of that Python image. The page measures each stroke's time from the pen's lifting
  to its answer on screen; the median is of the mouse's strokes.
- **Files.** Writes EMNIST Balanced test images (5 a class; from $EMNIST_DATA, else the package's sample) as scan-like
  PNGs (`scan_like`), uploads each through the page's file input, and compares its top-1 with `emnist-predict` on the
  same files (they must agree on at least 99%) and its 28×28 images with `to_emnist`'s (the same limits as strokes).
- A screenshot of the page with a drawn character and its answers: `SHOTS/draw.png`.
`check_site.SiteCheck` watches the page: any request to another host is blocked and counted as a problem, as are
console errors and failed requests: the page must work offline.

The figures go to `SHOTS/draw.json` and a summary line. Usage: `python tools/check_draw.py [SITE] [SHOTS]` (default
`_site`, `_site_check`), run by `make check-docs`. Exit status 1 if a check fails."""
import json, statistics, subprocess, sys, tempfile
from pathlib import Path
import numpy as np
from PIL import Image
sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_site import serve, find_chromium, SiteCheck
from emnist_nb.demo import STROKES, render_strokes
from emnist_nb.infer import Classifier
from emnist_nb.load import load_emnist
from emnist_nb.preprocess import to_emnist, scan_like

MAX_MEAN, MAX_DIFF, MIN_AGREE, PER_CLASS = 3, 40, 0.99, 5   # the limits of the check; test images a class
WIDGET = '.emnist-draw'

def answers(page) -> int:
    "How many answers the page's widget has given so far."
    return int(page.eval_on_selector(WIDGET, 'e => +(e.dataset.n || 0)'))

def wait_answer(page, n:int) -> dict:
    "Wait for the widget's answer number `n`; return it (image, top, ms, source)."
    page.wait_for_function(f"() => +(document.querySelector('{WIDGET}').dataset.n || 0) >= {n}", timeout=30_000)
    return page.eval_on_selector(WIDGET, 'e => e.emnist')

def draw(page, strokes:list, cdp=None) -> list:
    "Draw `strokes` on the pad with the mouse, or with a finger through `cdp` (a DevTools session); return the answer after each stroke."
    box = page.locator('.emnist-draw-pad').bounding_box()
    scale = box['width'] / 280   # CSS pixels a canvas pixel
    out = []
    for s in strokes:
        n, pts = answers(page), [(box['x'] + x * scale, box['y'] + y * scale) for x, y in s]
        if cdp is None:
            page.mouse.move(*pts[0]); page.mouse.down()
            for p in pts[1:]: page.mouse.move(*p)
            page.mouse.up()
        else:
            for kind, (x, y) in [('touchStart', pts[0])] + [('touchMove', p) for p in pts[1:]]:
                cdp.send('Input.dispatchTouchEvent', dict(type=kind, touchPoints=[dict(x=x, y=y)]))
            cdp.send('Input.dispatchTouchEvent', dict(type='touchEnd', touchPoints=[]))
        out.append(wait_answer(page, n + 1))
    return out

def check_strokes(page, clf:Classifier, cdp=None) -> list:
    "Draw each stroke set of `STROKES` with the mouse (or a finger, with `cdp`); compare with Python. One row per set."
    rows = []
    for name, strokes in STROKES.items():
        page.click('.emnist-draw-clear')
        got = draw(page, strokes, cdp)
        py = to_emnist(render_strokes(strokes))
        d = np.abs(np.asarray(got[-1]['image'], np.int16).reshape(28, 28) - py.astype(np.int16))
        rows.append(dict(strokes=name, pen='touch' if cdp else 'mouse', mean_diff=round(float(d.mean()), 3), max_diff=int(d.max()),
                         page_top1=got[-1]['top'][0][0], python_top1=clf.predict(py)[0], ms=[a['ms'] for a in got]))
    return rows

def scan_files(folder:Path) -> tuple:
    "Write `PER_CLASS` Balanced test images a class as scan-like PNGs in `folder`; return (paths, provenance)."
    data = load_emnist('balanced', 'test')
    images, labels = data[0], data[1]
    idx = np.concatenate([np.flatnonzero(labels == c)[:PER_CLASS] for c in range(len(data[2]))])
    paths = []
    for i, im in zip(idx, scan_like(images[idx])):
        paths.append(folder/f'test_{i:05d}.png'); Image.fromarray(im).save(paths[-1])
    return paths, data.provenance

def check_files(page, paths:list) -> dict:
    "Upload each file to the page; compare its top-1 and 28×28 image with `emnist-predict` and `to_emnist`."
    cli = Path(sys.executable).parent/'emnist-predict'
    r = subprocess.run([str(cli), '--json', '--top-k', '1', *map(str, paths)], capture_output=True, text=True, check=True)
    want = {Path(o['image']).name: o['top'][0]['class'] for o in json.loads(r.stdout)}
    same, diffs = 0, []
    for p in paths:
        n = answers(page)
        page.set_input_files('.emnist-draw-file', str(p))
        got = wait_answer(page, n + 1)
        same += got['top'][0][0] == want[p.name]
        diffs.append(np.abs(np.asarray(got['image'], np.int16) - to_emnist(p).ravel().astype(np.int16)))
    d = np.stack(diffs)
    return dict(files=len(paths), top1_agree=same, agreement=round(same / len(paths), 4),
                mean_diff=round(float(d.mean()), 3), max_diff=int(d.max()))

def check_draw(site='_site', shots='_site_check') -> int:
    "Run the checks on `site`; write `shots`/draw.json and draw.png; print a summary; return the number of failures."
    from playwright.sync_api import sync_playwright
    site, shots = Path(site), Path(shots)
    if not (site/'draw.html').exists(): sys.exit(f"{site}/draw.html not found: build the site first (make docs)")
    shots.mkdir(parents=True, exist_ok=True)
    clf = Classifier.load()
    srv, base = serve(site)
    try:
        with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
            browser = p.chromium.launch(executable_path=find_chromium(), args=['--no-sandbox'])
            page = browser.new_page(viewport=dict(width=1280, height=900), has_touch=True)
            watch = SiteCheck(page, base)   # console errors, failed requests, and any request to another host (blocked)
            watch.current = base + 'draw.html'
            page.goto(base + 'draw.html', wait_until='load')
            page.wait_for_function(f"() => document.querySelector('{WIDGET}').dataset.state === 'ready'", timeout=60_000)
            strokes = check_strokes(page, clf) + check_strokes(page, clf, page.context.new_cdp_session(page))
            paths, prov = scan_files(Path(tmp))
            files = check_files(page, paths)
            page.click('.emnist-draw-clear'); draw(page, STROKES['A'])
            page.locator(WIDGET).scroll_into_view_if_needed()
            page.screenshot(path=str(shots/'draw.png'))
            browser.close()
    finally: srv.shutdown()
    errors = [f'{kind}: {msg}' for kind, _, msg in watch.problems]
    ms = [m for r in strokes if r['pen'] == 'mouse' for m in r['ms']]
    sizes = {f.name: f.stat().st_size for f in sorted((site/'draw').iterdir())}
    size = sum(sizes.values())
    res = dict(data=dict(file=Path(prov.file).name, sha256=prov.sha256, status=prov.status), strokes=strokes, files=files,
               stroke_to_answer_ms=dict(strokes=len(ms), median=round(statistics.median(ms), 1)),
               page_mb=round(size / 1e6, 1), files_mb={k: round(v / 1e6, 3) for k, v in sizes.items()}, page_errors=errors)
    (shots/'draw.json').write_text(json.dumps(res, indent=1))
    bad = [f"{r['strokes']} by {r['pen']}: mean {r['mean_diff']}, max {r['max_diff']} grey levels, page {r['page_top1']} vs Python {r['python_top1']}"
           for r in strokes if r['mean_diff'] > MAX_MEAN or r['max_diff'] > MAX_DIFF or r['page_top1'] != r['python_top1']]
    if files['mean_diff'] > MAX_MEAN or files['max_diff'] > MAX_DIFF:
        bad.append(f"files: 28×28 images differ from to_emnist's by {files['mean_diff']} grey levels on average, {files['max_diff']} at most")
    if files['agreement'] < MIN_AGREE: bad.append(f"files: top-1 agrees with emnist-predict on {files['agreement']:.1%} < {MIN_AGREE:.0%}")
    bad += [f'page: {e}' for e in errors]
    for b in bad: print('draw    ', b)
    print(f"draw page: {len(STROKES)} stroke sets by mouse and by touch, 28×28 mean difference up to {max(r['mean_diff'] for r in strokes)}, "
          f"largest {max(r['max_diff'] for r in strokes)} grey levels, top-1 as Python on "
          f"{sum(r['page_top1'] == r['python_top1'] for r in strokes)}/{len(strokes)}; {files['files']} scan-like files "
          f"of {res['data']['file']} ({prov.status}): top-1 as emnist-predict on {files['top1_agree']}/{files['files']}; "
          f"stroke to answer {res['stroke_to_answer_ms']['median']} ms (median of {len(ms)}); model and runtime "
          f"{res['page_mb']} MB; {len(bad)} problems; {shots}/draw.json, {shots}/draw.png")
    return len(bad)

if __name__ == '__main__': sys.exit(1 if check_draw(*sys.argv[1:]) else 0)
