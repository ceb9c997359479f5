"""Correct a trained model for a test set whose classes are equally likely, after the fact: τ of `adjust_logits` is
chosen by `choose_tau` on the run's own validation images (the stratified split of its seed and `valid_pct`), by
balanced accuracy, unless the run already carries one (`emnist-train --logit-adjust auto`); with `--class-bias`,
per-class offsets are then fitted on the same images (`fit_class_bias`). The model is scored on the test set, and
written with its config and metrics into a new run folder; the metrics keep the scores of the model as trained.

Usage: `python tools/adjust_run.py RUN OUT [--class-bias]` (EMNIST_DATA: the data the run was trained on, checked by
sha256), then `bundle_model(OUT)`."""
import json, sys
from pathlib import Path
import numpy as np, torch
from safetensors.torch import save_file
from sklearn.metrics import balanced_accuracy_score
from emnist_nb.load import load_emnist, atomic_write
from emnist_nb.dataloaders import stratified_split
from emnist_nb.infer import Classifier
from emnist_nb.imbalance import class_prior, adjust_logits, choose_tau, shift_logits, fit_class_bias, crossfit_class_bias
from emnist_nb.evaluation import classification_metrics, lowest_recall

def logits(clf, x):
    with torch.inference_mode(): return torch.cat([clf.model((b.float()/255 - clf.mean) / clf.std) for b in torch.from_numpy(x[:, None]).split(512)]).numpy()

def scores(clf, x, y, classes, usage):
    p = logits(clf, x).argmax(1); m = classification_metrics(y, p, classes)
    return {f'{usage}_accuracy': m['accuracy'], f'{usage}_balanced_accuracy': m['balanced_accuracy'], f'{usage}_macro_f1': m['macro_f1'],
            f'{usage}_lowest_recall': lowest_recall(y, p, classes)}

def run_split(run, cfg, m):
    "The run's training and test sets, the indices of its training and validation images, and its training prior"
    train, test = load_emnist(cfg['split'], 'train'), load_emnist(cfg['split'], 'test')
    if train.provenance.sha256 != cfg['train_data']['sha256']: sys.exit(f"{run} was trained on sha256 {cfg['train_data']['sha256']}, EMNIST_DATA is {train.provenance.sha256}")
    tr, va = stratified_split(train.labels, m.get('valid_pct', 0.1), m['seed'])
    if m.get('valid_in_train') or (len(tr), len(va)) != (m['n_train'], m['n_valid']):
        sys.exit(f"{run}: its validation images cannot be recovered (trained on them, or on a subset of the training set)")
    return train, test, tr, va, class_prior(train.labels[tr], len(train.classes))

def main(run, out, class_bias=False):
    run, out = Path(run), Path(out)
    clf = Classifier.load(run); cfg = json.loads((run/'config.json').read_text()); m = cfg.pop('metrics', None) or json.loads((run/'metrics.json').read_text())
    if 'class_bias' in cfg: sys.exit(f"{run} already carries per-class offsets")
    train, test, tr, va, prior = run_split(run, cfg, m)
    xv, yv = train.images[va], train.labels[va]
    both = lambda: scores(clf, xv, yv, train.classes, 'valid') | scores(clf, test.images, test.labels, test.classes, 'test')
    tau = float(m.get('logit_adjust') or 0)
    adjust_logits(clf.model, prior, -tau); before = both()  # the model as trained
    if not tau: tau, table = choose_tau(logits(clf, xv), yv, prior); print(table.to_string(index=False))
    adjust_logits(clf.model, prior, tau); extra = {}
    if class_bias:
        lv = logits(clf, xv); b = fit_class_bias(lv, yv); shift_logits(clf.model, b)
        extra = dict(class_bias=[round(float(v), 4) for v in b], valid_balanced_accuracy_crossfit=float(balanced_accuracy_score(yv, crossfit_class_bias(lv, yv))))
    after, rule = both(), 'auto' + (' + class bias' if class_bias else '')
    m |= after | extra | dict(logit_adjust=tau, logit_adjust_rule=rule, adjusted_after_training=True, unadjusted={k: before[k] for k in sorted(before)})
    cfg |= dict(logit_adjust=tau, logit_adjust_rule=rule) | ({'class_bias': extra['class_bias']} if class_bias else {})
    out.mkdir(parents=True, exist_ok=True)
    atomic_write(out/'model.safetensors', lambda p: save_file({k: v.contiguous() for k, v in clf.model.state_dict().items()}, str(p)))
    atomic_write(out/'config.json', lambda p: p.write_text(json.dumps(cfg, indent=1)))
    atomic_write(out/'metrics.json', lambda p: p.write_text(json.dumps(m, indent=1)))
    print(f"τ = {tau}"); print(json.dumps({k: [before[k], after[k]] for k in sorted(before)}, indent=1))

if __name__ == '__main__': main(*sys.argv[1:3], class_bias='--class-bias' in sys.argv[3:])
