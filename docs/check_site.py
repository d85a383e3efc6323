#!/usr/bin/python3
"""Opens every page of the built site in headless Chromium, from the file system and
with no network, and fails if MathJax left raw TeX or reported an error, if an image did
not load, if a link inside the site is broken, or if a page asked for anything off the
machine. Saves a screenshot of every page of the book (not the reference) in SHOTS.

usage: check_site.py SITE_DIR SHOTS_DIR
Needs Debian's chromium and python3-websocket.
"""
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

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
  return JSON.stringify({images, links, raw, mathjaxErrors, mathCount, scriptsLeft,
                         hasMathJax: !!hub, ids, title: document.title});
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


def is_book_page(name):
    return name in ("index.html", "book.html", "exercises.html") or name.startswith(("ch0", "appendix_"))


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[-2], file=sys.stderr)
        return 2
    site = os.path.abspath(sys.argv[1])
    shots = os.path.abspath(sys.argv[2])
    os.makedirs(shots, exist_ok=True)
    pages = sorted(f for f in os.listdir(site) if f.endswith(".html"))
    if "index.html" not in pages:
        print("no index.html in " + site, file=sys.stderr)
        return 1
    browser = Browser()
    problems = []
    ids_of = {}
    links_of = {}
    try:
        for name in pages:
            browser.events.clear()
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
            ids_of[name] = set(info["ids"])
            links_of[name] = info["links"]
            if is_book_page(name):
                browser.call("Emulation.setDeviceMetricsOverride",
                             width=1280, height=1600, deviceScaleFactor=1, mobile=False)
                shot = browser.call("Page.captureScreenshot", format="png")
                with open(os.path.join(shots, name.replace(".html", ".png")), "wb") as f:
                    f.write(base64.b64decode(shot["data"]))
                browser.call("Emulation.setDeviceMetricsOverride",
                             width=1280, height=1000, deviceScaleFactor=1, mobile=False)
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

    print("checked %d pages; %d screenshots in %s" % (len(pages), sum(map(is_book_page, pages)), shots))
    for p in problems:
        print("FAIL " + p)
    print("%d passed, %d failed" % (len(pages) - len({p.split(':')[0] for p in problems}),
                                    len({p.split(':')[0] for p in problems})))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
