"""Build the documentation site from the notebooks, offline, with MkDocs (Material theme) instead of Quarto.

nbdev's `nbdev-docs` renders through Quarto, which cannot be installed everywhere (its installer downloads a binary).
This applies nbdev's own notebook processing, the same as its Quarto pipeline minus execution: hidden cells and
directives removed, exported source hidden, a `show_doc` for every exported function or class (`add_show_docs`),
rendered with nbdev's `show_doc` plus fastcore's docments table, backticked names linked to their docs
(`add_links`). Notebooks are never run: outputs (plots, tables, logs) are the committed ones, and `show_doc` reads
the installed package, which `nbdev-export` keeps in sync with the notebooks. nbconvert's Markdown exporter writes
one page per notebook (named as nbdev names its HTML pages, so nbdev's doc links work unchanged), an API reference
page lists every exported symbol, and `mkdocs build --strict` turns the pages into a static site that needs no
network at view time. A code cell flagged `#| live: draw` becomes the live widget of `web/draw.html` on the site: the
bundled model exported to ONNX and onnxruntime-web (installed by `npm ci` from package-lock.json) run it in the
reader's browser, so the Draw a character page needs no kernel and no server. Users with Quarto can run `nbdev-docs` instead.

Usage: `python tools/build_docs.py [SITE_DIR]` (default `_site`), or `make docs`."""
import inspect, importlib, os, re, shutil, subprocess, sys, nbformat, yaml
from pathlib import Path
from fastcore.docments import DocmentTbl
from nbdev.config import get_config, nbpath2html
from nbdev.frontmatter import md_frontmatter
from nbdev.process import NBProcessor, Processor
from nbdev.processors import add_show_docs, hide_, hide_line, rm_export, clean_magics, strip_ansi, add_links
from nbdev.showdoc import show_doc
from nbconvert import MarkdownExporter
sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_readme import output_only   # `#| echo: false` cells show their output only, as under Quarto

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))   # document this checkout's package, whatever an editable install points at
SRC = ROOT/'_mkdocs'   # generated MkDocs input: pages, extracted images, config (git-ignored)

def page_name(nb_path) -> str:
    "Page file for a notebook, as nbdev names its HTML pages: `00_data.ipynb` -> `data.md`."
    return nbpath2html(nb_path).with_suffix('.md').name

def _src_line(sym) -> int | None:
    "First line of `sym`'s definition in its module, for the source link."
    try: return inspect.getsourcelines(inspect.unwrap(sym))[1]
    except (TypeError, OSError): return None

def _methods(cls) -> list[str]:
    "Public methods and properties defined in `cls`'s own body, in source order."
    return [k for k, v in vars(cls).items() if not k.startswith('_')
            and (inspect.isfunction(v) or isinstance(v, (classmethod, staticmethod, property)))]

def _doc1(sym, nm:str, level:int) -> str:
    "nbdev's `show_doc` Markdown for one symbol, with its source line, an nbdev-style anchor and a docments table."
    md = show_doc(sym, name=nm, title_level=level)._repr_markdown_()
    line = _src_line(sym)
    md = md.replace('#LNone)', f'#L{line})' if line else ')')
    h, esc = '#'*level, nm.replace('_', r'\_')
    md = re.sub(rf'^{h} {re.escape(nm)}$', f'{h} {esc} {{#{nm.lower()}}}', md, count=1, flags=re.M)
    try: tbl = DocmentTbl(sym)._repr_markdown_() if callable(sym) else ''
    except Exception: tbl = ''   # builtins and C functions have no parsable source: the signature is all there is
    return md + (f'\n\n{tbl}' if tbl else '')

def render_doc(nm:str,     # name as `add_show_docs` writes it: `f`, `Cls`, or `Cls.method` for a patched method
               ns:dict,    # namespace to find it in: the exported module's globals
              )->str:      # Markdown: source link, heading, signature with docments, docstring, parameter table
    "`show_doc` output for `nm` as nbdev renders it, plus a docments table; a class is followed by its public methods."
    try: sym = eval(nm, ns)
    except Exception as e: raise RuntimeError(f"show_doc({nm}): not found in the exported module ({e!r}); run `make export`") from e
    parts = [_doc1(sym, nm, 3)]
    if inspect.isclass(sym):
        for k in _methods(sym):
            m = getattr(sym, k)
            parts.append(_doc1(m.fget if isinstance(m, property) else m, f'{nm}.{k}', 4))
    return '\n\n'.join(parts)

class render_show_docs(Processor):
    "Replace each `show_doc(name)` code cell with its rendered Markdown, resolved in the notebook's exported module."
    def begin(self):
        mod = next((c.directives_['default_exp'].split()[0] for c in self.nb.cells if 'default_exp' in c.directives_), None)
        self.ns = vars(importlib.import_module(f"{get_config().lib_name}.{mod}")) if mod else {}
    def cell(self, cell):
        m = re.fullmatch(r'show_doc\((.+)\)', cell.source.strip()) if cell.cell_type == 'code' else None
        if not m: return
        cell.cell_type, cell.source = 'markdown', render_doc(m.group(1), self.ns)
        for k in ('outputs', 'execution_count'): cell.pop(k, None)

WEB = ROOT/'web'   # the live widgets' HTML, JavaScript and CSS (web/draw.html ...)
ORT_FILES = ('ort.wasm.min.mjs', 'ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm')   # onnxruntime-web's WASM build

def live_widget(cell):
    "A code cell flagged `#| live: NAME` becomes the live widget `web/NAME.html` on the site (in Jupyter it runs as it is)."
    if cell.cell_type != 'code' or 'live' not in cell.directives_: return
    name = str(cell.directives_['live']).strip()
    if not (WEB/f'{name}.html').exists(): raise ValueError(f"#| live: {name}: web/{name}.html does not exist")
    cell.cell_type, cell.source = 'markdown', (WEB/f'{name}.html').read_text()
    for k in ('outputs', 'execution_count'): cell.pop(k, None)

def web_assets(dest:Path) -> int:
    "Copy the widgets' files and onnxruntime-web (`npm ci`, pinned by package-lock.json) to `dest`/draw, with the bundled model exported there by `emnist-export --onnx`; return its size in bytes."
    if not shutil.which('npm'): sys.exit("npm not found: the Draw a character page needs Node.js and npm (apt-get install nodejs npm)")
    r = subprocess.run(['npm', 'ci', '--ignore-scripts', '--no-audit', '--no-fund'], cwd=ROOT)
    if r.returncode: sys.exit(f"npm ci failed (exit {r.returncode}): see its messages above")
    out = dest/'draw'; out.mkdir(parents=True)
    for f in WEB.glob('*'):
        if f.suffix in ('.js', '.css'): shutil.copy(f, out)
    for f in ORT_FILES: shutil.copy(ROOT/'node_modules/onnxruntime-web/dist'/f, out)
    exe = Path(sys.executable).parent/'emnist-export'
    r = subprocess.run([str(exe), '--onnx', str(out/'model.onnx'), '--model', str(ROOT/get_config().lib_name/'pretrained')])
    if r.returncode: sys.exit(f"emnist-export failed (exit {r.returncode}): see its messages above")
    return sum(f.stat().st_size for f in out.iterdir())

PROCS = [output_only, live_widget, add_show_docs, render_show_docs, hide_, hide_line, rm_export, clean_magics, strip_ansi, add_links]

def _doc_links(md:str) -> str:
    "Turn nbdev's doc links (`https://HOST/BASE/course/data.html#x`, or relative `data.html#x`) and notebook links (`../course/00_data.ipynb`) into page links."
    cfg = get_config()
    base = re.escape('/'.join(filter(None, [cfg.doc_host.rstrip('/'), cfg.doc_baseurl.strip('/')])) + '/')
    md = re.sub(rf'\]\((?:{base}|\./)?(?:[\w-]+/)*([\w.-]+)\.html(#[^)\s]*)?\)', lambda m: f"]({m.group(1)}.md{m.group(2) or ''})", md)
    md = md.replace('](../images/', '](images/')   # a lesson's pictures folder, one level up in nbs/, is beside the pages on the site
    return re.sub(r'\]\((?:\.\.?/)?(?:[\w-]+/)*([\w.-]+\.ipynb)(#[^)\s]*)?\)', lambda m: f"]({page_name(m.group(1))}{m.group(2) or ''})", md)

def nb2page(nb_path:Path, dest:Path) -> dict:
    "Write `nb_path` as a Markdown page (and its images) under `dest`; return its title, page and notebook names."
    proc = NBProcessor(nb_path, procs=PROCS, rm_directives=True)
    proc.nb.path_ = str(nb_path)
    proc.process()
    nb = proc.nb
    first_md = next((c.source for c in nb.cells if c.cell_type == 'markdown'), '')
    title = md_frontmatter(first_md).get('title') if first_md else None
    if not title: raise ValueError(f"{nb_path}: the first markdown cell must be an H1 title (`# Title`)")
    cells = [dict(cell_type=c.cell_type, source=c.source, metadata={},
                  **(dict(outputs=c.get('outputs', []), execution_count=None) if c.cell_type == 'code' else {}))
             for c in nb.cells]
    meta = dict(language_info=dict(name='python'))   # code blocks fenced as ```python, so they are highlighted
    node = nbformat.from_dict(dict(nbformat=4, nbformat_minor=4, metadata=meta, cells=cells))
    name = page_name(nb_path)
    res = dict(output_files_dir=f'{Path(name).stem}_files', unique_key=Path(name).stem)
    md, res = MarkdownExporter(exclude_input_prompt=True, exclude_output_prompt=True).from_notebook_node(node, resources=res)
    for fn, data in res.get('outputs', {}).items():
        (dest/fn).parent.mkdir(parents=True, exist_ok=True)
        (dest/fn).write_bytes(data)
    banner = f"<!-- Generated from {nb_path.name} by tools/build_docs.py (make docs): edit the notebook, not this file. -->\n\n"
    (dest/name).write_text(banner + _doc_links(md).strip() + '\n')
    return dict(title=title, page=name, nb=nb_path.name)

def _summary(obj) -> str:
    "First line of `obj`'s docstring, or ''."
    return next(iter((inspect.getdoc(obj) or '').strip().splitlines()), '')

def api_page(dest:Path) -> int:
    "Write `api.md`: every exported symbol of every module, with its one-line summary, linked to its `show_doc`."
    cfg, n = get_config(), 0
    modidx = importlib.import_module(f'{cfg.lib_name}._modidx').d['syms']
    lines = ['# API reference', '', f'> Every exported function and class of `{cfg.lib_name}`, by module, linked to '
             'its documentation in the notebook that builds it.', '']
    for mod, syms in sorted(modidx.items()):
        m = importlib.import_module(mod)
        top = {k: v for k, v in syms.items()   # public top-level names: methods are documented with their class
               if k.count('.') == mod.count('.') + 1 and not k.rsplit('.', 1)[1].startswith('_')}
        if not top: continue
        lines += [f'## {mod}', '', '| name | summary |', '|---|---|']
        for full, (doc, _) in sorted(top.items(), key=lambda kv: kv[1][0]):
            short = full[len(mod)+1:]
            doc = doc.rsplit('/', 1)[-1].replace('.html', '.md')   # the site's pages are flat: course/data.html -> data.md
            lines.append(f"| [`{short}`]({doc}) | {_summary(getattr(m, short, None)).replace('|', '&#124;')} |")
            n += 1
        lines.append('')
    (dest/'api.md').write_text('\n'.join(lines))
    return n

def build_docs(site='_site'):
    "Build the site into `site` from the notebooks `nbs/sidebar.yml` lists, in its sections; print pages and symbols documented."
    cfg = get_config()
    if SRC.exists(): shutil.rmtree(SRC)
    docs = SRC/'docs'; docs.mkdir(parents=True)
    images = Path(cfg.nbs_path)/'images'   # pictures the notebooks' Markdown links to (the Colab badge), same relative path
    if images.is_dir(): shutil.copytree(images, docs/'images')
    side = yaml.safe_load((Path(cfg.nbs_path)/'sidebar.yml').read_text())['website']['sidebar']['contents']
    def entry(item):   # a notebook of the sidebar -> {title: page}; a section -> {section: [its entries]}
        if isinstance(item, str):
            p = nb2page(Path(cfg.nbs_path)/item, docs)
            return {('Home' if p['page'] == 'index.md' else p['title']): p['page']}
        return {item['section']: [entry(i) for i in item['contents']]}
    nav = [entry(i) for i in side] + [{'API reference': 'api.md'}]
    n_pages = sum(1 for p in docs.glob('*.md'))
    n_api = api_page(docs)
    n_web = web_assets(docs)
    conf = dict(INHERIT=str(ROOT/'mkdocs.yml'), docs_dir='docs', site_dir=str(Path(site).resolve()), nav=nav)
    (SRC/'mkdocs.yml').write_text(yaml.safe_dump(conf, sort_keys=False))
    env = dict(os.environ, NO_MKDOCS_2_WARNING='1')   # Material's banner about MkDocs 2 is not about this site
    r = subprocess.run([sys.executable, '-m', 'mkdocs', 'build', '--strict', '--clean', '-f', str(SRC/'mkdocs.yml')], env=env)
    if r.returncode: sys.exit(f"mkdocs build failed (exit {r.returncode}): see its messages above")
    print(f"{n_pages+1} pages ({n_pages} notebooks + API reference, {n_api} symbols) built in {site}/; "
          f"the Draw a character page's model and runtime: {n_web/1e6:.1f} MB")

if __name__ == '__main__': build_docs(*sys.argv[1:])
