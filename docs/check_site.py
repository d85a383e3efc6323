#!/usr/bin/python3
"""Opens every page of the built site in headless Chromium, from the file system and
with no network, as a reader would, and fails on what a reader would trip over:

- on every page: raw TeX or a MathJax error, an image that did not load, a link inside
  the site that is broken, anything asked of the network;
- on every page of the book, at 1280x800: a box of code or of program output that
  scrolls sideways or is clipped, a figure whose smallest text is under 12 CSS px as
  displayed;
- at 390 px wide (a phone): a page that scrolls sideways as a whole, a figure whose text
  is under 12 px that a click does not open at full size;
- in the dark theme: a page that is not dark, text without contrast, a figure without its
  white ground;
- a search for each of the book's test queries that does not find the right page first;
- on every page of the book: no link to its twin in the other edition at the top;
- with --lang zh (the Chinese edition, html/zh): the replacement character U+FFFD in a
  page, or Chinese text that the browser drew without a CJK font (boxes, "tofu"), and
  the Chinese test queries instead of the English ones.

It saves screenshots of every page of the book at both widths and in both themes in
SHOTS, and prints the figures it measured.

usage: check_site.py [--lang zh] SITE_DIR SHOTS_DIR
Needs Debian's chromium and python3-websocket.
"""
import base64
import json
import re
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import websocket

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

# Runs in the page once it has loaded: waits for MathJax, then reports what it sees.
PAGE_CHECK = r"""
(async () => {
  const hub = window.MathJax && window.MathJax.Hub;
  if (hub) {
    await new Promise(resolve => hub.Queue(resolve));
  }
  const images = [...document.images].map(img => ({
    src: img.getAttribute('src'), ok: img.complete && img.naturalWidth > 0 }));
  const links = [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'));
  const text = document.body ? document.body.innerText : '';
  const raw = [];
  for (const marker of ['\\f$', '\\f[', '\\f]', '\\(', '\\)', '\\[', '\\]', '\\begin{', '\\frac']) {
    const i = text.indexOf(marker);
    if (i >= 0) raw.push(text.substr(Math.max(0, i - 30), 80).replace(/\s+/g, ' '));
  }
  // TeX that MathJax could not parse becomes an merror node (or, with the noUndefined
  // extension, red text): walk every typeset formula's tree.
  let mathjaxErrors = document.querySelectorAll('.MathJax_Error').length;
  const bad = node => node && (node.type === 'merror' || node.mathcolor === 'red' ||
      (Array.isArray(node.data) && node.data.some(bad)));
  if (hub) {
    for (const jax of hub.getAllJax()) {
      if (bad(jax.root)) { mathjaxErrors += 1; raw.push('MathJax error in: ' + jax.originalText); }
    }
  }
  const mathCount = document.querySelectorAll('.MathJax_SVG, .MathJax_SVG_Display').length;
  const scriptsLeft = document.querySelectorAll('script[type^="math/tex"]').length;
  const ids = [...document.querySelectorAll('[id]')].map(e => e.id)
      .concat([...document.querySelectorAll('a[name]')].map(e => e.getAttribute('name')));
  const edition = document.querySelector('div.contents p.book-edition a');
  const bodyText = document.body.innerText || '';
  return JSON.stringify({images, links, raw, mathjaxErrors, mathCount, scriptsLeft,
                         hasMathJax: !!hub, ids, title: document.title,
                         edition: edition ? edition.getAttribute('href') : null,
                         replacement: (bodyText.match(/\ufffd/g) || []).length,
                         lang: document.documentElement.lang});
})()
"""


class Browser:
    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="book-chromium-")
        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--disable-extensions", "--allow-file-access-from-files",
             "--host-resolver-rules=MAP * ~NOTFOUND", "--remote-debugging-port=0",
             "--user-data-dir=" + self.profile, "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        for _ in range(300):
            if os.path.exists(port_file) and open(port_file).read().strip():
                break
            time.sleep(0.1)
        else:
            raise RuntimeError("chromium did not start")
        port = open(port_file).read().split()[0]
        targets = json.load(urllib.request.urlopen("http://127.0.0.1:%s/json" % port))
        page = next(t for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.next_id = 0
        self.events = []
        self.call("Page.enable")
        self.call("Network.enable")
        self.call("Runtime.enable")
        self.call("Emulation.setDeviceMetricsOverride",
                  width=1280, height=1000, deviceScaleFactor=1, mobile=False)

    def call(self, method, **params):
        self.next_id += 1
        my_id = self.next_id
        self.ws.send(json.dumps({"id": my_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == my_id:
                if "error" in msg:
                    raise RuntimeError("%s: %s" % (method, msg["error"]))
                return msg.get("result", {})
            self.events.append(msg)

    def wait_for(self, method, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for i, e in enumerate(self.events):
                if e.get("method") == method:
                    del self.events[: i + 1]
                    return e
            self.ws.settimeout(max(0.1, deadline - time.time()))
            try:
                self.events.append(json.loads(self.ws.recv()))
            except websocket.WebSocketTimeoutException:
                break
        raise RuntimeError("timed out waiting for " + method)

    def close(self):
        try:
            self.ws.close()
        finally:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            shutil.rmtree(self.profile, ignore_errors=True)



# Measured on each page of the book, after MathJax and the page's scripts have run.
LAYOUT_CHECK = r"""
(async () => {
  const hub = window.MathJax && window.MathJax.Hub;
  if (hub) {
    await new Promise(resolve => hub.Queue(resolve));
  }
  await new Promise(resolve => setTimeout(resolve, 50));
  const box = el => ({scroll: el.scrollWidth, client: el.clientWidth,
                      text: (el.textContent || '').trim().slice(0, 60)});
  const code = [...document.querySelectorAll('div.contents div.fragment')].map(box);
  const output = [...document.querySelectorAll('div.contents pre.fragment')].map(box);
  const figures = [...document.querySelectorAll('div.contents div.image img, div.contents div.image object')]
    .map(el => ({src: el.getAttribute('src') || el.getAttribute('data'),
                 width: el.getBoundingClientRect().width,
                 linked: !!(el.closest('a') && /\.svg$/.test(el.closest('a').getAttribute('href') || '')),
                 background: getComputedStyle(el).backgroundColor}));
  const root = document.documentElement;
  const body = getComputedStyle(document.body);
  const content = document.querySelector('div.contents') || document.body;
  return JSON.stringify({code, output, figures,
                         pageScroll: root.scrollWidth, pageWidth: root.clientWidth,
                         contentWidth: content.scrollWidth,
                         dark: root.classList.contains('dark-mode'),
                         color: getComputedStyle(content).color, background: body.backgroundColor,
                         textWidth: (document.querySelector('div.contents .textblock') || content).clientWidth});
})()
"""

SEARCHES = {
    "chain rule": "ch02_chain_rule.html",
    "output error": "ch05_output_delta.html",
    "learning rate": "ch02_chain_rule.html",
    "backward walk": "ch06_hidden_delta.html",
    "errata": "appendix_errata.html",
    "Hadamard": "ch01_matmul.html",
    "sigmoid": "ch03_neuron.html",
}

# The Chinese edition's queries: words segmented at index time (jieba), found in the prose.
SEARCHES_ZH = {
    "链式法则": "ch02_chain_rule_zh.html",
    "学习率": "ch02_chain_rule_zh.html",
    "逐元素乘积": "ch01_matmul_zh.html",
    "勘误": "appendix_errata_zh.html",
    "梯度消失": "ch09_graphs_zh.html",
    "术语表": "appendix_glossary_zh.html",
    "数值梯度检验": "appendix_gradcheck_zh.html",
}

# Families of fonts that have Chinese glyphs; text drawn in another font is boxes.
CJK_FONTS = re.compile(r"WenQuanYi|CJK|Hei|Song|Ming|Kai|Fallback|SC\b|Han", re.I)

MIN_TEXT_PX = 12.0


def is_book_page(name):
    return (name in ("index.html", "book.html", "exercises.html", "book_zh.html", "exercises_zh.html")
            or name.startswith(("ch0", "appendix_", "glossary")))


def chinese_fonts(browser, problems, name):
    """The fonts Chromium drew the first paragraphs of the page's text with: Chinese text
    in a font without Chinese glyphs is a row of boxes."""
    browser.call("DOM.enable")
    browser.call("CSS.enable")
    root = browser.call("DOM.getDocument", depth=1)["root"]["nodeId"]
    nodes = browser.call("DOM.querySelectorAll", nodeId=root, selector="div.contents .textblock > p")["nodeIds"]
    drawn = 0
    for node in nodes[:6]:
        fonts = browser.call("CSS.getPlatformFontsForNode", nodeId=node).get("fonts", [])
        cjk = [f for f in fonts if CJK_FONTS.search(f.get("familyName", "") + " " + f.get("postScriptName", ""))]
        drawn += sum(f.get("glyphCount", 0) for f in cjk)
    if nodes and not drawn:
        problems.append("%s: its Chinese text was drawn without a CJK font (install fonts-wqy-microhei)" % name)
    return drawn


def rgb(text):
    nums = [float(x) for x in re.findall(r"[\d.]+", text)[:3]]
    return nums if len(nums) == 3 else [0.0, 0.0, 0.0]


def luminance(c):
    def channel(v):
        v /= 255.0
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in c)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


_svg_cache = {}


def smallest_text(svg_path):
    """The smallest font size of an SVG's text in its own user units, and the width of its
    viewBox: text shown w CSS px wide is font * w / viewBox width px tall."""
    if svg_path in _svg_cache:
        return _svg_cache[svg_path]
    result = (None, None)
    try:
        root = ET.parse(svg_path).getroot()
        view = root.get("viewBox")
        width = float(view.split()[2]) if view else float(re.sub(r"[a-z]+$", "", root.get("width", "0")))
        scale = 1.0
        graph = root.find("{http://www.w3.org/2000/svg}g")
        if graph is not None:
            m = re.search(r"scale\(([\d.]+)", graph.get("transform", ""))
            if m:
                scale = float(m.group(1))
        sizes = []
        for el in root.iter():
            size = el.get("font-size")
            style = el.get("style", "")
            m = re.search(r"font-size:\s*([\d.]+)", style)
            if m:
                size = m.group(1)
            if size and el.tag.endswith(("text", "g")) and (el.tag.endswith("text") or any(
                    c.tag.endswith("text") for c in el)):
                sizes.append(float(re.sub(r"[a-z]+$", "", size)) * scale)
        if sizes and width:
            result = (min(sizes), width)
    except (ET.ParseError, OSError, ValueError):
        pass
    _svg_cache[svg_path] = result
    return result


def measure(browser, url, width, height, dark=False):
    browser.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1,
                 mobile=width < 600)
    browser.call("Emulation.setEmulatedMedia", features=[
        {"name": "prefers-color-scheme", "value": "dark" if dark else "light"}])
    browser.events.clear()
    browser.call("Page.navigate", url=url)
    browser.wait_for("Page.loadEventFired")
    result = browser.call("Runtime.evaluate", expression=LAYOUT_CHECK, awaitPromise=True, returnByValue=True,
                          timeout=30000)
    if "exceptionDetails" in result:
        raise RuntimeError(str(result["exceptionDetails"]))
    return json.loads(result["result"]["value"])


def screenshot(browser, path):
    shot = browser.call("Page.captureScreenshot", format="png")
    with open(path, "wb") as f:
        f.write(base64.b64decode(shot["data"]))


def check_layout(browser, site, shots, name, problems, stats):
    url = "file://" + urllib.parse.quote(os.path.join(site, name))
    stem = name.replace(".html", "")
    # 1280 x 800, the light theme.
    wide = measure(browser, url, 1280, 800)
    stats["text_width"].append(wide["textWidth"])
    for kind, boxes in (("code", wide["code"]), ("output", wide["output"])):
        for b in boxes:
            stats[kind] += 1
            if b["scroll"] > b["client"] + 1:
                stats[kind + "_scrolling"] += 1
                problems.append("%s: at 1280 a box of %s is %d px wide in %d px (it scrolls or is clipped): %s"
                                % (name, kind, b["scroll"], b["client"], b["text"]))
    for fig in wide["figures"]:
        font, view = smallest_text(os.path.join(site, urllib.parse.unquote(fig["src"] or "")))
        if not font or not fig["width"]:
            continue
        px = font * fig["width"] / view
        stats["figures"] += 1
        stats["smallest_px"] = min(stats.get("smallest_px", 1e9), px)
        if px < MIN_TEXT_PX:
            stats["figures_small"] += 1
            problems.append("%s: at 1280 the smallest text of %s is %.1f px (under %g)"
                            % (name, fig["src"], px, MIN_TEXT_PX))
    browser.call("Emulation.setDeviceMetricsOverride", width=1280, height=1600, deviceScaleFactor=1, mobile=False)
    screenshot(browser, os.path.join(shots, stem + ".1280.png"))
    # 390 px, a phone.
    narrow = measure(browser, url, 390, 800)
    stats["pages"] += 1
    if narrow["pageScroll"] > narrow["pageWidth"] + 1:
        stats["pages_scrolling"] += 1
        problems.append("%s: at 390 px the page scrolls sideways (%d px wide)" % (name, narrow["pageScroll"]))
    for fig in narrow["figures"]:
        font, view = smallest_text(os.path.join(site, urllib.parse.unquote(fig["src"] or "")))
        if font and fig["width"] and font * fig["width"] / view < MIN_TEXT_PX and not fig["linked"]:
            problems.append("%s: at 390 px the text of %s is %.1f px and a click does not open it full size"
                            % (name, fig["src"], font * fig["width"] / view))
    browser.call("Emulation.setDeviceMetricsOverride", width=390, height=1600, deviceScaleFactor=1, mobile=True)
    screenshot(browser, os.path.join(shots, stem + ".390.png"))
    # The dark theme, at 1280.
    dark = measure(browser, url, 1280, 800, dark=True)
    if not dark["dark"]:
        problems.append("%s: the dark theme did not switch on" % name)
    ratio = contrast(rgb(dark["color"]), rgb(dark["background"]))
    if luminance(rgb(dark["background"])) > 0.2 or ratio < 7:
        problems.append("%s: in the dark theme the text is %s on %s (contrast %.1f)"
                        % (name, dark["color"], dark["background"], ratio))
    for fig in dark["figures"]:
        if luminance(rgb(fig["background"])) < 0.9 and fig["src"] and fig["src"].endswith(".svg"):
            problems.append("%s: in the dark theme %s has no white ground (%s)" % (name, fig["src"], fig["background"]))
    browser.call("Emulation.setDeviceMetricsOverride", width=1280, height=1600, deviceScaleFactor=1, mobile=False)
    screenshot(browser, os.path.join(shots, stem + ".1280.dark.png"))
    browser.call("Emulation.setEmulatedMedia", features=[{"name": "prefers-color-scheme", "value": "light"}])


def check_search(browser, site, problems, stats, searches):
    url = "file://" + urllib.parse.quote(os.path.join(site, "index.html"))
    browser.call("Emulation.setDeviceMetricsOverride", width=1280, height=800, deviceScaleFactor=1, mobile=False)
    browser.call("Page.navigate", url=url)
    browser.wait_for("Page.loadEventFired")
    for query, expected in searches.items():
        result = browser.call("Runtime.evaluate", expression="bookSearch(%s).then(r => JSON.stringify(r))"
                              % json.dumps(query), awaitPromise=True, returnByValue=True, timeout=30000)
        if "exceptionDetails" in result:
            problems.append("search: %r failed: %s" % (query, result["exceptionDetails"]))
            continue
        refs = json.loads(result["result"]["value"])
        first = refs[0].split("#")[0] if refs else "nothing"
        stats["searches"] += 1
        if first == expected:
            stats["searches_right"] += 1
        else:
            problems.append("search: %r finds %s first, not %s" % (query, first, expected))


def main():
    args = sys.argv[1:]
    zh = args[:2] == ["--lang", "zh"]
    if zh:
        args = args[2:]
    if len(args) != 2:
        print(__doc__.strip().splitlines()[-2], file=sys.stderr)
        return 2
    site = os.path.abspath(args[0])
    shots = os.path.abspath(args[1])
    os.makedirs(shots, exist_ok=True)
    pages = sorted(f for f in os.listdir(site) if f.endswith(".html"))
    cjk_glyphs = 0
    if "index.html" not in pages:
        print("no index.html in " + site, file=sys.stderr)
        return 1
    browser = Browser()
    problems = []
    ids_of = {}
    links_of = {}
    stats = {k: 0 for k in ("code", "code_scrolling", "output", "output_scrolling", "figures", "figures_small",
                            "pages", "pages_scrolling", "searches", "searches_right")}
    stats["text_width"] = []
    try:
        for name in pages:
            browser.events.clear()
            browser.call("Emulation.setDeviceMetricsOverride", width=1280, height=1000, deviceScaleFactor=1,
                         mobile=False)
            url = "file://" + urllib.parse.quote(os.path.join(site, name))
            browser.call("Page.navigate", url=url)
            browser.wait_for("Page.loadEventFired")
            result = browser.call("Runtime.evaluate", expression=PAGE_CHECK,
                                  awaitPromise=True, returnByValue=True, timeout=30000)
            if "exceptionDetails" in result:
                problems.append("%s: the check script failed: %s" % (name, result["exceptionDetails"]))
                continue
            info = json.loads(result["result"]["value"])
            for e in browser.events:
                if e.get("method") == "Network.requestWillBeSent":
                    req = e["params"]["request"]["url"]
                    if not req.startswith(("file:", "data:", "about:")):
                        problems.append("%s: asked the network for %s" % (name, req))
                if e.get("method") == "Network.loadingFailed":
                    problems.append("%s: a resource failed to load: %s" % (name, e["params"].get("errorText")))
            for img in info["images"]:
                if not img["ok"]:
                    problems.append("%s: image did not load: %s" % (name, img["src"]))
            if info["raw"]:
                problems.append("%s: raw TeX left on the page: %s" % (name, " | ".join(info["raw"])))
            if info["mathjaxErrors"]:
                problems.append("%s: %d MathJax errors" % (name, info["mathjaxErrors"]))
            if info["scriptsLeft"] and not info["mathCount"]:
                problems.append("%s: MathJax did not typeset the page's math" % name)
            if info["replacement"]:
                problems.append("%s: shows %d replacement characters (U+FFFD), the mark of a damaged encoding"
                                % (name, info["replacement"]))
            if is_book_page(name):
                if not info["edition"]:
                    problems.append("%s: no link to the page in the other edition at its top" % name)
                else:
                    info["links"].append(info["edition"])
                if zh:
                    if info["lang"] != "zh":
                        problems.append("%s: its language is %r, not zh" % (name, info["lang"]))
                    cjk_glyphs += chinese_fonts(browser, problems, name)
            ids_of[name] = set(info["ids"])
            links_of[name] = info["links"]
            if is_book_page(name):
                check_layout(browser, site, shots, name, problems, stats)
        check_search(browser, site, problems, stats, SEARCHES_ZH if zh else SEARCHES)
    finally:
        browser.close()

    # Links inside the site must name a file that exists, and an anchor that exists in it.
    for name, links in links_of.items():
        for href in links:
            parsed = urllib.parse.urlparse(href)
            if parsed.scheme in ("http", "https", "mailto", "javascript") or href.startswith("#") and len(href) == 1:
                continue
            target = name if not parsed.path else urllib.parse.unquote(parsed.path)
            path = os.path.normpath(os.path.join(site, target))
            if not os.path.exists(path):
                problems.append("%s: broken link %s" % (name, href))
            elif parsed.fragment and target in ids_of and parsed.fragment not in ids_of[target]:
                problems.append("%s: link %s names an anchor that %s does not have" % (name, href, target))

    widths = stats["text_width"]
    print("checked %d pages; screenshots of %d pages of the book at 1280 and 390 px and in the dark theme in %s"
          % (len(pages), stats["pages"], shots))
    print("  text column at 1280: %s px" % ("%d to %d" % (min(widths), max(widths)) if widths else "-"))
    print("  boxes of code that scroll or are clipped at 1280: %d of %d" % (stats["code_scrolling"], stats["code"]))
    print("  boxes of program output that scroll or are clipped at 1280: %d of %d"
          % (stats["output_scrolling"], stats["output"]))
    print("  pages that scroll sideways at 390 px: %d of %d" % (stats["pages_scrolling"], stats["pages"]))
    print("  figures whose smallest text is under %g px at 1280: %d of %d (smallest %.1f px)"
          % (MIN_TEXT_PX, stats["figures_small"], stats["figures"], stats.get("smallest_px", 0)))
    print("  searches that find the right page first: %d of %d" % (stats["searches_right"], stats["searches"]))
    if zh:
        print("  Chinese glyphs drawn with a CJK font in the pages' first paragraphs: %d" % cjk_glyphs)
    for p in problems:
        print("FAIL " + p)
    failed = {p.split(':')[0] for p in problems}
    print("%d passed, %d failed" % (len(pages) + 1 - len(failed), len(failed)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
