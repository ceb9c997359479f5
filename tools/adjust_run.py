"""Correct a trained model for a test set whose classes are equally likely, after the fact, as `emnist-train
--logit-adjust auto` does at the end of a run: τ of `adjust_logits` is chosen by `choose_tau` on the run's own
validation images (the stratified split of its seed and `valid_pct`), by balanced accuracy; the model is then scored
on the test set, and written with its config and metrics into a new run folder.

Usage: `python tools/adjust_run.py RUN OUT` (EMNIST_DATA: the data the run was trained on, checked by sha256), e.g.
`python tools/adjust_run.py emnist_nb/pretrained runs/pretrained-adjusted`, then `bundle_model('runs/pretrained-adjusted')`."""
import json, sys
from pathlib import Path
import numpy as np, torch
from safetensors.torch import save_file
from emnist_nb.load import load_emnist, atomic_write
from emnist_nb.dataloaders import stratified_split
from emnist_nb.infer import Classifier
from emnist_nb.imbalance import class_prior, adjust_logits, choose_tau
from emnist_nb.evaluation import classification_metrics, lowest_recall

def logits(clf, x):
    with torch.inference_mode(): return torch.cat([clf.model((b.float()/255 - clf.mean) / clf.std) for b in torch.from_numpy(x[:, None]).split(512)]).numpy()

def scores(clf, x, y, classes, usage):
    p = logits(clf, x).argmax(1); m = classification_metrics(y, p, classes)
    return {f'{usage}_accuracy': m['accuracy'], f'{usage}_balanced_accuracy': m['balanced_accuracy'], f'{usage}_macro_f1': m['macro_f1'],
            f'{usage}_lowest_recall': lowest_recall(y, p, classes)}

def main(run, out):
    run, out = Path(run), Path(out)
    clf = Classifier.load(run); cfg = json.loads((run/'config.json').read_text()); m = cfg.pop('metrics', None) or json.loads((run/'metrics.json').read_text())
    if m.get('logit_adjust'): sys.exit(f"{run} already carries a logit adjustment (τ = {m['logit_adjust']})")
    train, test = load_emnist(cfg['split'], 'train'), load_emnist(cfg['split'], 'test')
    if train.provenance.sha256 != cfg['train_data']['sha256']: sys.exit(f"{run} was trained on sha256 {cfg['train_data']['sha256']}, EMNIST_DATA is {train.provenance.sha256}")
    tr, va = stratified_split(train.labels, m.get('valid_pct', 0.1), m['seed'])
    if m.get('valid_in_train') or (len(tr), len(va)) != (m['n_train'], m['n_valid']):
        sys.exit(f"{run}: its validation images cannot be recovered (trained on them, or on a subset of the training set)")
    prior = class_prior(train.labels[tr], len(train.classes))
    before = scores(clf, train.images[va], train.labels[va], train.classes, 'valid') | scores(clf, test.images, test.labels, test.classes, 'test')
    tau, table = choose_tau(logits(clf, train.images[va]), train.labels[va], prior)
    adjust_logits(clf.model, prior, tau)
    after = scores(clf, train.images[va], train.labels[va], train.classes, 'valid') | scores(clf, test.images, test.labels, test.classes, 'test')
    m |= after | dict(logit_adjust=tau, logit_adjust_rule='auto', adjusted_after_training=True, unadjusted={k: before[k] for k in sorted(before)})
    cfg |= dict(logit_adjust=tau, logit_adjust_rule='auto')
    out.mkdir(parents=True, exist_ok=True)
    atomic_write(out/'model.safetensors', lambda p: save_file({k: v.contiguous() for k, v in clf.model.state_dict().items()}, str(p)))
    atomic_write(out/'config.json', lambda p: p.write_text(json.dumps(cfg, indent=1)))
    atomic_write(out/'metrics.json', lambda p: p.write_text(json.dumps(m, indent=1)))
    print(table.to_string(index=False)); print(f"τ = {tau}"); print(json.dumps({k: [before[k], after[k]] for k in sorted(after)}, indent=1))

if __name__ == '__main__': main(*sys.argv[1:3])
