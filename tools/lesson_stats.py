"""Per-notebook reading figures of the course: code cells, visible cells that are mostly assertions, figures, and the
first cell with a concrete output (a picture, a table or printed data), and the questions and experiments of the
lesson's ending, as a Markdown table.

A code cell is "mostly assertions" when at least half of its non-blank, non-directive lines start with `test_...` or
`assert`; it is visible unless flagged `#| hide`. A figure is an `image/png` or `image/svg+xml` output. Cells are
counted from 0, as Jupyter's cell index; the `#| colab` install cell and hidden cells do not count as concrete output.

Usage: `python tools/lesson_stats.py [NOTEBOOK ...]` (default: every notebook in `nbs/` and its folders)."""
import json, re, sys
from pathlib import Path

_ASSERT = re.compile(r'\s*(test_\w+|assert)\b')

def flags(src:str) -> set:
    "The `#|` directives of a cell's source, by first word."
    return {m.group(1) for m in re.finditer(r'^#\|\s*([\w-]+)', src, re.M)}

def mostly_asserts(src:str) -> bool:
    "Whether at least half of the cell's code lines are assertions."
    ls = [l for l in src.splitlines() if l.strip() and not l.startswith('#|')]
    return bool(ls) and sum(bool(_ASSERT.match(l)) for l in ls) / len(ls) >= 0.5

def _concrete(c:dict) -> bool:
    "A visible code cell whose output is a picture, a table or printed text."
    if c['cell_type'] != 'code' or flags(''.join(c['source'])) & {'hide', 'colab'}: return False
    return any(o.get('output_type') in ('stream', 'display_data', 'execute_result') for o in c.get('outputs', []))

def ending(cells:list, heading:str) -> int:
    "Numbered items (`1.` ...) in the Markdown cells from the `## heading` cell to the next `## ` heading."
    n, inside = 0, False
    for c in cells:
        if c['cell_type'] != 'markdown': continue
        src = ''.join(c['source'])
        if (m := re.match(r'## (.+)', src)): inside = m.group(1).strip() == heading
        if inside: n += len(re.findall(r'^\d+\. ', src, re.M))
    return n

def stats(path:Path) -> dict:
    "Reading figures of one notebook."
    cells = json.loads(Path(path).read_text())['cells']
    code = [c for c in cells if c['cell_type'] == 'code']
    vis_asserts = sum(1 for c in code if 'hide' not in flags(''.join(c['source'])) and mostly_asserts(''.join(c['source'])))
    figs = sum(1 for c in code for o in c.get('outputs', []) if {'image/png', 'image/svg+xml'} & set(o.get('data', {})))
    first = next((i for i, c in enumerate(cells) if _concrete(c)), None)
    return dict(notebook=Path(path).name, cells=len(cells), code=len(code), visible_asserts=vis_asserts,
                share=vis_asserts / max(len(code), 1), figures=figs, first_output=first,
                questions=ending(cells, 'Questions'), try_it=ending(cells, 'Try it'))

def table(paths) -> str:
    "A Markdown table of `stats` for `paths`."
    rows = ['| notebook | code cells | visible assertion cells | figures | first concrete output (cell) | questions | try it |',
            '|---|---:|---:|---:|---:|---:|---:|']
    for p in paths:
        s = stats(p)
        rows.append(f"| `{s['notebook']}` | {s['code']} | {s['visible_asserts']} ({s['share']:.0%}) | {s['figures']} | {s['first_output']} of {s['cells']} | {s['questions']} | {s['try_it']} |")
    return '\n'.join(rows)

if __name__ == '__main__':
    paths = [Path(p) for p in sys.argv[1:]] or sorted(p for p in Path('nbs').rglob('[0-9]*.ipynb'))
    print(table(paths))
