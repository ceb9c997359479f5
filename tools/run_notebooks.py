"""Run each notebook's fast path top to bottom in a fresh Jupyter kernel (nbclient), as a reader does in Jupyter.

`nbdev-test` runs the notebooks inside its own process (execnb's shell); this runs each one in a real ipykernel
started for it alone, so a notebook that leans on state it did not make (a name defined by a cell since deleted, a
file another notebook wrote) fails here. The cells run are the ones `nbdev-test` runs (`nbdev.test.nb_test_cells`):
code cells, less those flagged with any of `[tool.nbdev] tst_flags` in pyproject.toml (slow, cuda, colab) and
`#| eval: false` ones. They run in order in an in-memory copy, with the working directory `nbs/` as under
`nbdev-test`, `IN_TEST=1`, and this checkout first on `PYTHONPATH`; the committed notebook is never written.
Scratch notebooks (`_*.ipynb`) are skipped, as nbdev skips them.

Prints one line per notebook with its time, the failing cell and its error for each failure, then
`N passed, M failed`; exits 1 if any notebook failed.

With `--save`, a notebook that passes gets the outputs of the cells that ran written back into it (the cells left
out, such as the `#| slow` ones, keep the outputs of their own last run), as Jupyter would have shown them.

Usage: `python tools/run_notebooks.py [NOTEBOOK ...] [--workers N] [--timeout SECONDS] [--save] [--with slow]`, or `make notebooks`
(`make notebooks NBS="nbs/02_dataloaders.ipynb"` for a subset)."""
import argparse, os, re, sys, time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbdev.config import get_config
from nbdev.doclinks import nbglob
from nbdev.test import nb_test_cells

ROOT = Path(__file__).resolve().parent.parent
ANSI = re.compile(r'\x1b\[[0-9;]*[A-Za-z]')

def fast_path(nb_path:Path, skip_flags:list) -> nbformat.NotebookNode:
    "A new notebook holding the code cells `nbdev-test` runs in `nb_path`; each remembers its index and id in the original."
    nb = nbformat.read(nb_path, as_version=4)
    pos = {c.get('id'): i for i, c in enumerate(nb.cells)}
    cells = []
    for c in nb_test_cells(nb_path, skip_flags):
        cell = nbformat.v4.new_code_cell(c.source)
        cell.metadata['orig'] = dict(idx=pos.get(c.get('id'), c.idx_), id=c.get('id'))
        cells.append(cell)
    meta = dict(kernelspec=dict(name='python3', display_name='Python 3', language='python'))
    return nbformat.v4.new_notebook(cells=cells, metadata=meta)

def _failure(nb, e:Exception) -> str:
    "The failing cell (its index and id in the committed notebook, its source) and the error, without colour codes."
    bad = next((c for c in nb.cells if any(o.get('output_type') == 'error' for o in c.get('outputs', []))), None)
    if isinstance(e, CellExecutionError) and bad is not None:
        err = next(o for o in bad.outputs if o.output_type == 'error')
        o = bad.metadata['orig']
        return (f"cell {o['idx']} (id {o['id']}):\n{bad.source}\n" + ANSI.sub('', '\n'.join(err.traceback)))
    return f"{type(e).__name__}: {ANSI.sub('', str(e))}"

def save_outputs(nb_path:Path, ran:nbformat.NotebookNode):
    "Write the outputs of the executed fast-path cells `ran` back into the cells of `nb_path` they came from."
    nb = nbformat.read(nb_path, as_version=4)
    for c in ran.cells:
        orig = nb.cells[c.metadata['orig']['idx']]
        assert orig.get('id') == c.metadata['orig']['id'], f"{nb_path.name}: cell {c.metadata['orig']['idx']} moved"
        orig.outputs, orig.execution_count = c.outputs, c.execution_count
    nbformat.write(nb, nb_path)

def run_notebook(nb_path:Path, skip_flags:list, timeout:int|None, save:bool=False) -> tuple:
    "Execute the fast path of `nb_path` in a fresh kernel; return (name, passed, seconds, number of cells run, failure text)."
    start = time.time()
    try: nb = fast_path(nb_path, skip_flags)
    except Exception as e: return nb_path.name, False, 0., 0, f"cannot read the notebook: {type(e).__name__}: {e}"
    client = NotebookClient(nb, timeout=timeout, kernel_name='python3', allow_errors=False,
                            extra_arguments=['--IPKernelApp.log_level=ERROR'],   # not its warning about TCP on loopback
                            resources=dict(metadata=dict(path=str(nb_path.parent))))
    try:
        client.execute()
        if save: save_outputs(nb_path, nb)
        return nb_path.name, True, time.time() - start, len(nb.cells), ''
    except Exception as e:   # a cell's error, a cell past the timeout, a kernel that died or did not start
        return nb_path.name, False, time.time() - start, len(nb.cells), _failure(nb, e)

def main():
    "Run the notebooks named on the command line, or all of them; print a line each and the summary; exit 1 on a failure."
    cfg = get_config()
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('notebooks', nargs='*', help="notebooks to run (default: every notebook in nbs/ not starting with '_')")
    ap.add_argument('--workers', type=int, default=1, help='notebooks run at once (default 1: measured fastest on 2 cores)')
    ap.add_argument('--timeout', type=int, default=cfg.cell_timeout or None, help='seconds per cell (default: nbdev cell_timeout)')
    ap.add_argument('--save', action='store_true', help="write the outputs of a passing notebook's fast cells back into it")
    ap.add_argument('--with', dest='with_flags', nargs='*', default=[], help='also run the cells with these flags (e.g. slow)')
    args = ap.parse_args()
    flags = cfg.tst_flags.split() if isinstance(cfg.tst_flags, str) else list(cfg.tst_flags)
    flags = [f for f in flags if f not in args.with_flags]
    if args.save: flags = [f for f in flags if f != 'colab']  # its cell shows the device outside Colab too: keep its output current
    paths = ([Path(p).resolve() for p in args.notebooks] if args.notebooks
             else sorted(nbglob(cfg.nbs_path, as_path=True)))
    paths = [p for p in paths if not p.name.startswith('_')]
    if not paths: sys.exit('no notebooks to run')
    # the kernels inherit this environment: this checkout's package first, whatever an editable install points at
    os.environ['PYTHONPATH'] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get('PYTHONPATH')]))
    os.environ['IN_TEST'] = '1'
    print(f"{len(paths)} notebooks, fast path (cells flagged {', '.join(flags)} left out), "
          f"in a fresh Jupyter kernel each, {args.workers} at a time", flush=True)
    start, results = time.time(), []
    with ProcessPoolExecutor(max_workers=max(1, args.workers)) as ex:
        for name, ok, secs, n, msg in ex.map(run_notebook, paths, [flags]*len(paths), [args.timeout]*len(paths), [args.save]*len(paths)):
            print(f"{'ok  ' if ok else 'FAIL'} {name:28} {n:3} cells {secs:7.1f}s", flush=True)
            if not ok: print('\n'.join('     ' + l for l in msg.splitlines()), flush=True)
            results.append(ok)
    n_ok = sum(results)
    print(f"total {time.time() - start:.0f}s")
    print(f"{n_ok} passed, {len(results) - n_ok} failed")
    sys.exit(0 if n_ok == len(results) else 1)

if __name__ == '__main__': main()
