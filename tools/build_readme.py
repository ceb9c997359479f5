"""Build README.md from nbs/index.ipynb without Quarto.

nbdev's own `nbdev-readme` renders through Quarto, which cannot be installed everywhere (its installer downloads a
binary). This applies nbdev's cell processing (hidden cells and directives removed) and renders with nbconvert's
Markdown exporter. A cell flagged `#| echo: false` shows its output only, as Quarto shows it (the home page's results
table is such an output, rendered from the committed results files). Relative links, written from `nbs/` (e.g.
`course/00_data.ipynb`), are rewritten from the repository root (`nbs/course/00_data.ipynb`). Users with Quarto can run
`nbdev-readme` instead."""
import re, sys, nbformat
from pathlib import Path
from nbdev.process import NBProcessor
from nbdev.processors import hide_, hide_line, rm_export, clean_magics, strip_ansi
from nbconvert import MarkdownExporter

def output_only(cell):
    "A code cell flagged `#| echo: false` becomes a Markdown cell holding its Markdown or text output, as Quarto shows it."
    if cell.cell_type != 'code' or str(cell.directives_.get('echo', '')).strip().lower() != 'false': return
    outs = [o.get('data', {}).get('text/markdown') or o.get('data', {}).get('text/plain') or o.get('text', '') for o in cell.get('outputs', [])]
    cell.cell_type, cell.source = 'markdown', '\n\n'.join(''.join(o) if isinstance(o, list) else o for o in outs)
    for k in ('outputs', 'execution_count'): cell.pop(k, None)

def root_links(md:str, base:str='nbs/') -> str:
    "Relative Markdown links written from `nbs/` made relative to the repository root; web links and anchors unchanged."
    return re.sub(r'\]\((?![a-z][\w+.-]*:|#|/)([^)\s]+)\)', lambda m: f"]({base}{m.group(1)})", md)

def build_readme(nb_path='nbs/index.ipynb', dest='README.md'):
    "Write `dest` from the home page notebook `nb_path`."
    nb = NBProcessor(nb_path, procs=[output_only, hide_, hide_line, rm_export, clean_magics, strip_ansi], rm_directives=True, process=True).nb
    cells = [dict(cell_type=c.cell_type, source=c.source, metadata={},
                  **(dict(outputs=c.get('outputs', []), execution_count=None) if c.cell_type == 'code' else {}))
             for c in nb.cells]
    node = nbformat.from_dict(dict(nbformat=4, nbformat_minor=4, metadata={}, cells=cells))
    md, _ = MarkdownExporter(exclude_input_prompt=True, exclude_output_prompt=True).from_notebook_node(node)
    banner = f"<!-- Generated from {nb_path} by tools/build_readme.py (make readme): edit the notebook, not this file. -->\n\n"
    Path(dest).write_text(banner + root_links(md.strip()) + '\n')

if __name__ == '__main__': build_readme(*sys.argv[1:])
