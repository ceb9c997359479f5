"""Build the EMNIST sample shipped with the package, `emnist_nb/sample/emnist-sample.zip`, and its README.

    python tools/build_sample.py ../shared/data/emnist/emnist-standin.zip

Every split and usage of the source zip (NIST's `gzip.zip` layout) is sampled by class: for each class, a seeded
permutation of its images, the first `PER_CLASS[split]` of them (all of them if the class has fewer), then back in the
source's order. The output is in the same layout; gzip members carry no name or time and zip entries a fixed date, so
the same source gives the same bytes on any machine."""
import gzip, hashlib, sys, zipfile
from pathlib import Path
import numpy as np
from emnist_nb.data import SPLITS, USAGES
from emnist_nb.load import member_name, read_member, parse_idx, idx_bytes, file_sha256

PER_CLASS = dict(balanced=(100, 20), bymerge=(16, 6), byclass=(12, 4), letters=(36, 12), digits=(80, 24), mnist=(80, 24))
SEED = 0
DATE = (1980, 1, 1, 0, 0, 0)

def sample_idx(labels:np.ndarray, n:int, seed:int)->np.ndarray:
    "Sorted indices of up to `n` images per label, drawn with a seeded permutation."
    rng = np.random.default_rng(seed)
    return np.sort(np.concatenate([rng.permutation(np.flatnonzero(labels == c))[:n] for c in np.unique(labels)]))

def members(src:Path):
    "(member name, bytes) of the sample, in a fixed order, with counts per (split, usage)."
    counts = {}
    for split in SPLITS:
        for i, usage in enumerate(USAGES):
            x = parse_idx(read_member(src, member_name(split, usage, 'images'))[0], 'images', 'images')
            y = parse_idx(read_member(src, member_name(split, usage, 'labels'))[0], 'labels', 'labels')
            keep = sample_idx(y, PER_CLASS[split][i], SEED)
            counts[split, usage] = len(keep)
            for kind, a in (('images', x[keep]), ('labels', y[keep])):
                yield f'gzip/{member_name(split, usage, kind)}.gz', gzip.compress(idx_bytes(a), compresslevel=9, mtime=0)
        yield f'gzip/emnist-{split}-mapping.txt', read_member(src, f'emnist-{split}-mapping.txt', gz=False)[0]
    members.counts = counts

README = """# The EMNIST sample

`emnist-sample.zip` is a small sample of real EMNIST images, shipped so that the notebooks' tests, `emnist-train` and
the examples run without the 536 MB download. `load_emnist(split, usage, 'sample')` (or `EMNIST_DATA=sample`) reads it,
and every result made from it says "sample": it is not EMNIST's benchmark.

- Layout: NIST's `gzip.zip` (`gzip/emnist-<split>-<train|test>-<images-idx3|labels-idx1>-ubyte.gz` and the six mapping
  files), so it is read by the same code as NIST's file.
- Contents: all six splits, train and test, drawn per class with seed {seed} (the table gives the most images a class,
  train / test; a class with fewer keeps all of its images).
- Source: `emnist-standin.zip` (sha256 `{src_sha}`), real EMNIST images in NIST's layout; rebuild with
  `python tools/build_sample.py emnist-standin.zip`, which gives the same bytes.
- sha256 of `emnist-sample.zip`: `{sha}` ({size:,} bytes).

EMNIST: Cohen, G., Afshar, S., Tapson, J., & van Schaik, A. (2017). EMNIST: an extension of MNIST to handwritten
letters. arXiv:1702.05373. Data from NIST Special Database 19.

{table}
"""

def main(src:str, out:str='emnist_nb/sample'):
    src, out = Path(src), Path(out); out.mkdir(parents=True, exist_ok=True)
    dest, tmp = out/'emnist-sample.zip', out/'.emnist-sample.zip.tmp'
    with zipfile.ZipFile(tmp, 'w', zipfile.ZIP_STORED) as zf:
        for name, data in members(src):
            info = zipfile.ZipInfo(name, DATE); info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    tmp.replace(dest)
    c = members.counts
    table = '\n'.join(f"| {s} | {PER_CLASS[s][0]} / {PER_CLASS[s][1]} | {c[s, 'train']:,} | {c[s, 'test']:,} |" for s in SPLITS)
    table = "| split | a class | train images | test images |\n|---|---|---:|---:|\n" + table
    (out/'README.md').write_text(README.format(seed=SEED, table=table, src_sha=file_sha256(src), sha=file_sha256(dest), size=dest.stat().st_size))
    print(f"{dest}: {dest.stat().st_size:,} bytes, sha256 {file_sha256(dest)}")

if __name__ == '__main__': main(*sys.argv[1:])
