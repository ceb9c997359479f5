"""Score candidates for the bundled model, for a test set whose classes are equally likely, and write
`nbs/results/bundle_candidates.csv`: each trained run as trained (τ = 0), with logit adjustment (τ chosen on validation
by `choose_tau`), and with per-class offsets on top (`fit_class_bias`), on arrays and on PNG scans
(`scan_like`, read back by `to_emnist`), validation and stand-in test.

Validation scores of the offsets are cross-fitted (`crossfit_class_bias`: fitted on one half of the validation images,
scored on the other), so that they do not flatter themselves. The rule that chooses (`RULE`): every class
recognised at least half the time on the validation arrays, then the highest validation balanced accuracy on arrays.
Pictures are reported beside them: no candidate yet recognises every class half the time there.

Usage: `python tools/bundle_candidates.py NAME=RUN ...` (EMNIST_DATA: the data the runs were trained on)."""
import json, sys, copy
from pathlib import Path
import numpy as np, pandas as pd
sys.path.insert(0, str(Path(__file__).parent))
from adjust_run import logits, run_split
from emnist_nb.infer import Classifier
from emnist_nb.preprocess import to_emnist, scan_like
from emnist_nb.imbalance import adjust_logits, choose_tau, fit_class_bias, crossfit_class_bias
from emnist_nb.evaluation import classification_metrics, lowest_recall
from emnist_nb.evaluation import save_results

RULE = 'every class at least 50% on the validation arrays, then the highest validation balanced accuracy on arrays'

def score(y, p, classes, prefix):
    m, lo = classification_metrics(y, p, classes), lowest_recall(y, p, classes, 1)[0]
    return {f'{prefix}_accuracy': m['accuracy'], f'{prefix}_balanced_accuracy': m['balanced_accuracy'], f'{prefix}_lowest_class': lo[0], f'{prefix}_lowest_recall': lo[1]}

def candidate_rows(name, run):
    clf = Classifier.load(run); cfg = json.loads((Path(run)/'config.json').read_text()); m = cfg.pop('metrics', None) or json.loads((Path(run)/'metrics.json').read_text())
    train, test, tr, va, prior = run_split(run, cfg, m)
    adjust_logits(clf.model, prior, -float(m.get('logit_adjust') or 0))  # back to the model as trained
    sets = {'valid': (train.images[va], train.labels[va]), 'test': (test.images, test.labels)}
    lg = {(u, k): logits(clf, xx) for u, (x, _) in sets.items() for k, xx in (('arrays', x), ('pictures', np.stack([to_emnist(s) for s in scan_like(x)])))}
    lp, (_, yv) = np.log(prior), sets['valid']
    tau = choose_tau(lg['valid', 'arrays'], yv, prior)[0]
    bias = fit_class_bias(lg['valid', 'arrays'] - tau * lp, yv)
    rows = []
    for corr, shift in (('τ = 0', 0 * lp), (f'τ = {tau:g}', -tau * lp), (f'τ = {tau:g} + class bias', -tau * lp + bias)):
        r = dict(candidate=name, arch=m['arch'], epochs=m['epochs_run'], correction=corr, params=m['n_params'], mb=round((Path(run)/'model.safetensors').stat().st_size / 2**20, 2))
        for (u, k), l in lg.items():
            y = sets[u][1]
            p = crossfit_class_bias(lg[u, 'arrays'] - tau * lp, y, apply_to=l - tau * lp) if u == 'valid' and 'bias' in corr else (l + shift).argmax(1)
            r |= score(y, p, train.classes, f'{u}_{k}')
        rows.append(r)
    return rows, train.provenance.describe('balanced', 'test')

if __name__ == '__main__':
    rows, label = [], None
    for a in sys.argv[1:]:
        name, run = a.split('=', 1); rs, label = candidate_rows(name, run); rows += rs
        print(pd.DataFrame(rs).to_string(), flush=True)
    df = pd.DataFrame(rows)
    ok = df.valid_arrays_lowest_recall >= .5
    if not ok.any(): sys.exit(f"no candidate recognises every class half the time on validation:\n{df.to_string()}")
    df['chosen'] = False; df.loc[df.valid_arrays_balanced_accuracy.where(ok).idxmax(), 'chosen'] = True
    save_results(df.assign(rule=RULE, data=label), Path(__file__).parent.parent/'nbs/results/bundle_candidates.csv')
    pd.set_option('display.width', 250); print(df.to_string())
