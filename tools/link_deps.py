"""Hard-link the largest installed distributions (torch, triton and the nvidia-* CUDA libraries, about 5.5 GB) from the
project's venv into a fresh venv's site-packages, so `tools/check_wheel.sh` does not need a second copy on disk.

Usage: `.venv/bin/python tools/link_deps.py DEST_SITE_PACKAGES`. Each file listed in a distribution's RECORD
(PEP 376/627) that lies inside site-packages is linked (copied where the two folders are on different file systems);
scripts outside it are skipped. pip in the fresh venv still resolves the wheel's requirements against these (their
dist-info is linked too) and installs every other dependency itself."""
import os, shutil, sys
from importlib.metadata import distributions
from pathlib import Path

def heavy(name: str) -> bool: return name in ('torch', 'triton') or name.startswith('nvidia-')

def link_tree(dest: Path) -> tuple[int, int]:
    "Link every file of the heavy distributions into `dest`; returns (distributions, bytes)"
    n, size, seen = 0, 0, set()
    for d in distributions():
        name = d.metadata['Name'].lower().replace('_', '-')
        if not heavy(name) or name in seen: continue
        seen.add(name); n += 1
        for f in d.files or []:
            if f.parts[0] == '..': continue
            src, dst = Path(d.locate_file(f)), dest/f
            if not src.is_file() or dst.exists(): continue
            dst.parent.mkdir(parents=True, exist_ok=True)
            try: os.link(src, dst)
            except OSError: shutil.copy2(src, dst)
            size += src.stat().st_size
    return n, size

if __name__ == '__main__':
    if len(sys.argv) != 2 or not Path(sys.argv[1]).is_dir(): sys.exit(f"usage: {sys.argv[0]} DEST_SITE_PACKAGES (an existing folder)")
    n, size = link_tree(Path(sys.argv[1]))
    if not n: sys.exit("no torch/triton/nvidia-* distribution found in this Python's environment")
    print(f"linked {n} distributions ({size/2**30:.1f} GiB, no extra disk) into {sys.argv[1]}")
