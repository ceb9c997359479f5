"""Reference results of `emnist_nb.preprocess.emnist_steps` and `emnist_nb.demo.render_strokes` for web/emnist_preprocess.test.mjs, as JSON on stdout.

Cases: characters drawn with `render_strokes` (dark on light, one of them small in a corner, one a single dot), fake
scans of the bundled sample's test images (`scan_like`: noise, margins) and the same images as they are (light on dark); and `render_strokes` of these strokes, of the lesson's `STROKES` and of no stroke."""
import json, numpy as np
from scipy.ndimage import gaussian_filter
from emnist_nb.demo import STROKES, render_strokes
from emnist_nb.load import load_emnist
from emnist_nb.preprocess import emnist_steps, ink_box, scan_like

def case(name:str, pic:np.ndarray) -> dict:
    "One picture (uint8 [H,W], grey) and its conversion's steps."
    s = emnist_steps(pic)
    rows, cols = ink_box(gaussian_filter(s['ink'], 1))
    return dict(name=name, w=pic.shape[1], h=pic.shape[0], grey=pic.ravel().tolist(), ink=s['ink'].ravel().tolist(),
                box=[rows.start, rows.stop, cols.start, cols.stop], roi=list(s['roi'].shape),
                square=s['square'].ravel().tolist(), emnist=s['emnist'].ravel().tolist())

strokes = {'L': STROKES['L'], 'small 7': [[(20, 20), (60, 20), (35, 80)]],
           'dot': [[(140, 140)]], 'wide Z': [[(20, 100), (260, 100), (20, 180), (260, 180)]]}
cases = [case(f'strokes {k}', render_strokes(v)) for k, v in strokes.items()]
images = load_emnist('balanced', 'test', 'sample')[0][:6]
cases += [case(f'scan_like test[{i}]', im) for i, im in enumerate(scan_like(images))]
cases += [case(f'test[{i}] as it is', im) for i, im in enumerate(images[:3])]
renders = [dict(strokes=v, grey=render_strokes(v).ravel().tolist()) for v in [*strokes.values(), *STROKES.values(), []]]
print(json.dumps(dict(cases=cases, renders=renders)))
