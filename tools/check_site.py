"""Check the built documentation site in headless Chromium: every page, internal link, anchor and image.

Serves the site on loopback, opens it with Playwright driving the system's Chromium (Debian's `chromium`; no
browser download), and crawls every internal page from the home page. It fails on a broken internal link (not HTTP
200, or an `#anchor` with no element of that id on its page), an image that does not load, a console error or
uncaught exception, a failed request, and any request to another host (the site must work offline). It also runs
one search to check that search works offline, and saves screenshots of the home page, an API page, two
lessons at a figure and the search results. Prints one summary line, e.g. `pages 18, links 1234 checked (456 unique), 0 broken, ...`.

Usage: `python tools/check_site.py [SITE_DIR] [SHOTS_DIR]` (defaults `_site`, `_site_check`), or `make check-docs`.
The browser is `$CHROMIUM`, else `chromium` on the PATH."""
import functools, os, shutil, sys, threading, urllib.request, urllib.error
from http.server import ThreadingHTTPServer, SimpleHTTPRequestHandler
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

SHOTS = [('home', 'index.html'), ('api-load', 'load.html#load_emnist'), ('api-reference', 'api.html'),
         ('lesson-cnn', 'models.cnn.html#a-convolution-by-hand'),   # two lessons, at a figure
         ('lesson-evaluation', 'evaluation.html#validation-against-test-other-writers')]
SEARCH = 'load_emnist'   # a term the search must find
# scroll the first picture after the element with id `a` to the middle of the window; false if there is none
_TO_FIGURE = """a => { const h = document.getElementById(a); if (!h) return false;
  const img = [...document.querySelectorAll('img')].find(i => h.compareDocumentPosition(i) & Node.DOCUMENT_POSITION_FOLLOWING);
  if (img) img.scrollIntoView({block: 'center'}); return !!img; }"""

class _Quiet(SimpleHTTPRequestHandler):
    "Static file handler that does not log every request."
    def log_message(self, *args): pass

class _Server(ThreadingHTTPServer):
    "HTTP server that stays quiet when the browser drops a connection it no longer needs."
    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError): super().handle_error(request, client_address)

def serve(site:Path) -> tuple:
    "Serve `site` on a free loopback port in a daemon thread; return (server, base URL)."
    srv = _Server(('127.0.0.1', 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f'http://127.0.0.1:{srv.server_address[1]}/'

def find_chromium() -> str:
    "Path of the Chromium to drive: `$CHROMIUM`, else `chromium` or `chromium-browser` on the PATH."
    exe = os.environ.get('CHROMIUM') or shutil.which('chromium') or shutil.which('chromium-browser')
    if not exe: sys.exit("Chromium not found: install Debian's `chromium` (apt-get install chromium) or set $CHROMIUM")
    return exe

def http_status(url:str) -> int:
    "HTTP status of GET `url` (0 when the server cannot be reached)."
    try:
        with urllib.request.urlopen(url) as r: return r.status
    except urllib.error.HTTPError as e: return e.code
    except OSError: return 0

# Collects, in the page, its element ids, its links (resolved hrefs) and its images (src, loaded or not).
_PAGE_JS = """() => ({
  ids: [...document.querySelectorAll('[id]')].map(e => e.id),
  links: [...document.querySelectorAll('a[href]')].map(a => a.href),
  imgs: [...document.images].map(i => ({src: i.currentSrc || i.src, ok: i.complete && i.naturalWidth > 0}))})"""

class SiteCheck:
    "Crawl a served site in a Playwright `page`, recording every problem found."
    def __init__(self, page, base:str):
        self.page, self.base = page, base
        self.ids, self.status, self.problems = {}, {}, []
        self.n_links, self.link_targets, self.n_imgs, self.n_console = 0, set(), 0, 0
        self.current = base
        page.on('console', self._console)
        page.on('pageerror', lambda e: self._problem('console', f'uncaught exception: {e}'))
        page.on('requestfailed', self._failed)
        page.on('response', lambda r: r.status >= 400 and self._problem('request', f'{r.url}: HTTP {r.status}'))
        page.route('**/*', self._route)

    def _problem(self, kind:str, msg:str):
        "Record a problem of `kind` (link, image, console, request, search) seen on the current page, once."
        p = (kind, self._rel(urldefrag(self.current)[0]), msg)
        if p in self.problems: return
        if kind == 'console': self.n_console += 1
        self.problems.append(p)

    def _failed(self, req):
        "Report a failed request; ERR_ABORTED is a load cut short by the next navigation, or an external request blocked."
        if 'ERR_ABORTED' not in (req.failure or ''): self._problem('request', f'{req.url} failed: {req.failure}')

    def _console(self, msg):
        if msg.type == 'error': self._problem('console', msg.text)

    def _route(self, route):
        "Let loopback requests through; block and report any other host (the site must not need the network)."
        if route.request.url.startswith(self.base) or route.request.url.startswith(('data:', 'blob:')): route.continue_()
        else:
            self._problem('request', f'request to another host: {route.request.url}')
            route.abort()

    def _rel(self, url:str) -> str: return url[len(self.base):] if url.startswith(self.base) else url
    def _internal(self, url:str) -> bool: return url.startswith(self.base)
    def _is_page(self, url:str) -> bool: return urlsplit(url).path.endswith(('.html', '/'))

    def visit(self, url:str) -> list:
        "Open `url`, check its images, record its ids; return its internal links."
        self.current = url
        self.page.goto(url, wait_until='load')
        info = self.page.evaluate(_PAGE_JS)
        self.ids[url] = set(info['ids'])
        for img in info['imgs']:
            self.n_imgs += 1
            if not img['ok']: self._problem('image', f"image does not load: {self._rel(img['src'])}")
        links = [l for l in info['links'] if self._internal(l)]
        self.n_links += len(links)
        return [(url, l) for l in links]

    def crawl(self, start:str):
        "Visit every internal page reachable from `start`, then check every link and anchor found."
        todo, seen, links = [start], {start}, []
        while todo:
            url = todo.pop(0)
            self.status[url] = http_status(url)
            if self.status[url] != 200: continue   # reported as a broken link below
            new = self.visit(url)
            links += new
            for _, l in new:
                target = urldefrag(l)[0]
                if self._is_page(target) and target not in seen: seen.add(target); todo.append(target)
        for src, l in links:
            target, frag = urldefrag(l)
            self.link_targets.add(l)
            if target not in self.status: self.status[target] = http_status(target)
            self.current = src
            if self.status[target] != 200: self._problem('link', f'{self._rel(l)}: HTTP {self.status[target]}')
            elif frag and target in self.ids and frag not in self.ids[target]:
                self._problem('link', f'{self._rel(l)}: no element with id "{frag}"')
        self.pages = sorted(u for u in seen if u in self.ids)

    def search(self, term:str) -> int:
        "Type `term` into the site's search box on the home page; return the number of results shown."
        self.current = self.base + 'index.html'
        self.page.goto(self.current, wait_until='load')
        self.page.keyboard.press('/')   # Material's shortcut: opens and focuses the search box
        self.page.keyboard.type(term)
        try: self.page.wait_for_selector('.md-search-result__item', timeout=10_000)
        except Exception: pass
        self.page.wait_for_timeout(300)
        n = self.page.locator('.md-search-result__item').count()
        if not n: self._problem('search', f'searching for {term!r} finds nothing')
        return n

def check_site(site='_site', shots='_site_check') -> int:
    "Check the site at `site`, save screenshots to `shots`; print a summary and return the number of problems."
    from playwright.sync_api import sync_playwright
    site, shots = Path(site), Path(shots)
    if not (site/'index.html').exists(): sys.exit(f"{site}/index.html not found: build the site first (make docs)")
    shots.mkdir(parents=True, exist_ok=True)
    srv, base = serve(site)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=find_chromium(), args=['--no-sandbox'])
            page = browser.new_page(viewport=dict(width=1280, height=900))
            chk = SiteCheck(page, base)
            chk.crawl(base + 'index.html')
            for name, path in SHOTS:
                chk.current = base + path
                page.goto(base + path, wait_until='load')
                page.wait_for_timeout(500)   # let the header's title transition finish
                if name.startswith('lesson-') and not page.evaluate(_TO_FIGURE, path.split('#')[1]):
                    chk._problem('image', f"screenshot {name}: no figure after #{path.split('#')[1]}")
                page.screenshot(path=str(shots/f'{name}.png'))
            n_found = chk.search(SEARCH)
            page.screenshot(path=str(shots/'search.png'))
            browser.close()
    finally: srv.shutdown()
    for kind, where, msg in chk.problems: print(f'{kind:8} {where}: {msg}')
    kinds = [k for k, *_ in chk.problems]
    print(f"pages {len(chk.pages)}, links {chk.n_links} checked ({len(chk.link_targets)} unique), "
          f"{kinds.count('link')} broken, images {chk.n_imgs} checked, {kinds.count('image')} missing, "
          f"{chk.n_console} console errors, {kinds.count('request')} failed requests, "
          f"search {SEARCH!r}: {n_found} results; screenshots in {shots}/")
    return len(chk.problems)

if __name__ == '__main__': sys.exit(1 if check_site(*sys.argv[1:]) else 0)
