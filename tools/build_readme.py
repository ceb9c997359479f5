"""Build README.md from nbs/index.ipynb without Quarto.

nbdev's own `nbdev-readme` renders through Quarto, which cannot be installed everywhere (its installer downloads a
binary). This applies nbdev's cell processing (hidden cells and directives removed) and renders with nbconvert's
Markdown exporter. Users with Quarto can run `nbdev-readme` instead."""
import sys, nbformat
from pathlib import Path
from nbdev.process import NBProcessor
from nbdev.processors import hide_, hide_line, rm_export, clean_magics, strip_ansi
from nbconvert import MarkdownExporter

def build_readme(nb_path='nbs/index.ipynb', dest='README.md'):
    nb = NBProcessor(nb_path, procs=[hide_, hide_line, rm_export, clean_magics, strip_ansi], rm_directives=True, process=True).nb
    cells = [dict(cell_type=c.cell_type, source=c.source, metadata={},
                  **(dict(outputs=c.get('outputs', []), execution_count=None) if c.cell_type == 'code' else {}))
             for c in nb.cells]
    node = nbformat.from_dict(dict(nbformat=4, nbformat_minor=4, metadata={}, cells=cells))
    md, _ = MarkdownExporter(exclude_input_prompt=True, exclude_output_prompt=True).from_notebook_node(node)
    banner = f"<!-- Generated from {nb_path} by tools/build_readme.py (make readme): edit the notebook, not this file. -->\n\n"
    Path(dest).write_text(banner + md.strip() + '\n')

if __name__ == '__main__': build_readme(*sys.argv[1:])
