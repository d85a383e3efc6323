#!/usr/bin/python3
"""Prints the book to PDF from the same pages as the site.

The pages of the book, in reading order (the front page, then every \\subpage of BOOK_MD),
are joined into one HTML document beside the site (print.html), so that a link from one
chapter to another becomes a link inside the PDF. Headless Chromium typesets its math
with the site's MathJax and prints it with the print stylesheet (print.css: no sidebars, a
page break before each chapter, page numbers, the document outline as PDF bookmarks).
A cover page is printed on its own, and qpdf joins the cover and the body into OUT.

usage: print_book.py SITE_DIR BOOK_MD OUT.pdf [--lang en|zh]
Needs Debian's chromium, python3-websocket and qpdf.
"""
import base64
import html
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from check_site import Browser  # noqa: E402  (the same headless Chromium as the site's check)

HERE = os.path.dirname(os.path.abspath(__file__))
WORDS = {
    "en": {"title": "Backprop, by the book",
           "subtitle": "Backpropagation in C++17: every equation is code, every number was printed by it",
           "edition": "The PDF edition, printed from the pages of the site by the build",
           "contents": "Contents"},
    "zh": {"title": "反向传播，照书做",
           "subtitle": "用 C++17 讲反向传播：每个公式都是代码，每个数字都由代码打印",
           "edition": "PDF 版，由构建从网站的页面打印",
           "contents": "目录"},
}


def pages_in_order(book_md, suffix):
    """The page ids of the book in reading order: book, then its \\subpage entries."""
    with open(book_md, encoding="utf-8") as f:
        text = f.read()
    first = re.search(r"\{#([A-Za-z0-9_]+)\}", text).group(1)
    return [first] + re.findall(r"\\subpage\s+([A-Za-z0-9_]+)", text)


def between(text, start, end):
    i = text.find(start)
    if i < 0:
        return ""
    j = text.find(end, i + len(start))
    return text[i + len(start):j if j >= 0 else len(text)]


def contents_of(page_html):
    """The title and the inner HTML of a Doxygen page's div.contents."""
    title = html.unescape(re.sub(r"<[^>]+>", "", between(page_html, '<div class="title">', "</div>"))).strip()
    start = page_html.find('<div class="contents">')
    end = page_html.rfind("<!-- start footer part -->")
    body = page_html[start:end if end > start else len(page_html)]
    # Drop what only makes sense on screen: the "Previous · Next" line of a chapter.
    body = re.sub(r'<p >(Previous|上一)[^\n]*?</p>', "", body)
    return title, body


def rewrite(body, page_ids, anchor_page):
    """Links between the book's pages become links inside the document; links into the
    library reference stay as text (the reference is not printed)."""
    def link(m):
        href = html.unescape(m.group(2))
        target, _, fragment = href.partition("#")
        name = target[:-5] if target.endswith(".html") else target
        if target and name in page_ids:
            return m.group(1) + 'href="#' + html.escape(fragment or "page-" + name) + '"'
        if not target or href.startswith(("http:", "https:", "mailto:")):
            return m.group(0)
        return m.group(1) + 'data-reference="' + html.escape(href) + '"'
    body = re.sub(r'(<a [^>]*?)href="([^"]*)"', link, body)
    # The answers of the written exercises, folded on the site, are printed open.
    body = body.replace("<details>", "<details open>")
    # Figures as images (Doxygen embeds SVGs as objects).
    body = re.sub(r'<object type="image/svg\+xml" data="([^"]+)"[^>]*></object>',
                  r'<img class="figure" src="\1" alt=""/>', body)
    return body


def document(site, ids, lang):
    head = ""
    with open(os.path.join(site, ids[0] + ".html"), encoding="utf-8") as f:
        first = f.read()
    # The site's MathJax configuration, as Doxygen wrote it into every page.
    head = re.search(r'<script type="text/x-mathjax-config">.*?</script>\s*<script[^>]*MathJax\.js[^>]*></script>',
                     first, re.S).group(0).replace('async="async" ', "")
    parts = []
    for page_id in ids:
        with open(os.path.join(site, page_id + ".html"), encoding="utf-8") as f:
            title, body = contents_of(f.read())
        parts.append('<section class="book-page" id="page-%s"><h1 class="book-page-title">%s</h1>%s</section>'
                     % (page_id, html.escape(title), rewrite(body, set(ids), page_id)))
    styles = "".join('<link href="%s" rel="stylesheet" type="text/css"/>' % s for s in (
        "doxygen.css", "doxygen-awesome.css", "book.css", "print.css"))
    return ('<!DOCTYPE html>\n<html lang="%s"><head><meta charset="utf-8"/><title>%s</title>%s%s</head>'
            '<body class="book-print"><div id="doc-content"><div class="PageDoc">%s</div></div></body></html>\n'
            % (lang, html.escape(WORDS[lang]["title"]), styles, head, "\n".join(parts)))


def cover(lang):
    w = WORDS[lang]
    return ('<!DOCTYPE html>\n<html lang="%s"><head><meta charset="utf-8"/>'
            '<link href="print.css" rel="stylesheet" type="text/css"/></head><body class="book-cover">'
            '<h1>%s</h1><p class="subtitle">%s</p><p class="edition">%s</p></body></html>\n'
            % (lang, html.escape(w["title"]), html.escape(w["subtitle"]), html.escape(w["edition"])))


def print_pdf(browser, url, numbered):
    browser.events.clear()
    browser.call("Page.navigate", url=url)
    browser.wait_for("Page.loadEventFired", timeout=120)
    # Wait for MathJax to typeset everything (it queues its work; the last item runs last).
    browser.call("Runtime.evaluate", awaitPromise=True, returnByValue=True, timeout=600000, expression="""
      (async () => {
        const hub = window.MathJax && window.MathJax.Hub;
        if (hub) { await new Promise(r => hub.Queue(r)); }
        await Promise.all([...document.images].map(i => i.complete ? 0 : new Promise(r => { i.onload = i.onerror = r; })));
        return true;
      })()""")
    footer = ('<div style="font-size:8px;width:100%;text-align:center;color:#555">'
              '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')
    result = browser.call("Page.printToPDF", printBackground=True, preferCSSPageSize=True,
                          displayHeaderFooter=numbered, headerTemplate="<span></span>",
                          footerTemplate=footer if numbered else "<span></span>",
                          generateDocumentOutline=True, generateTaggedPDF=True)
    return base64.b64decode(result["data"])


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--lang")]
    lang = "en"
    for a in sys.argv[1:]:
        if a.startswith("--lang="):
            lang = a.split("=", 1)[1]
    if len(args) != 3 or lang not in WORDS:
        print(__doc__.strip().splitlines()[-2], file=sys.stderr)
        return 2
    site, book_md, out = (os.path.abspath(a) for a in args)
    started = time.time()
    ids = pages_in_order(book_md, "")
    missing = [i for i in ids if not os.path.exists(os.path.join(site, i + ".html"))]
    if missing:
        print("print_book: pages missing from the site: " + ", ".join(missing), file=sys.stderr)
        return 1
    suffix = "" if lang == "en" else "." + lang
    with open(os.path.join(HERE, "print.css"), encoding="utf-8") as f:
        css = f.read()
    with open(os.path.join(site, "print.css"), "w", encoding="utf-8") as f:
        f.write(css)
    body_html = os.path.join(site, "print%s.html" % suffix)
    cover_html = os.path.join(site, "print-cover%s.html" % suffix)
    with open(body_html, "w", encoding="utf-8") as f:
        f.write(document(site, ids, lang))
    with open(cover_html, "w", encoding="utf-8") as f:
        f.write(cover(lang))
    browser = Browser()
    try:
        body = print_pdf(browser, "file://" + urllib.parse.quote(body_html), numbered=True)
        front = print_pdf(browser, "file://" + urllib.parse.quote(cover_html), numbered=False)
    finally:
        browser.close()
    work = tempfile.mkdtemp(prefix="book-pdf-")
    try:
        paths = [os.path.join(work, n) for n in ("cover.pdf", "body.pdf")]
        for path, data in zip(paths, (front, body)):
            with open(path, "wb") as f:
                f.write(data)
        partial = out + ".partial"
        # qpdf puts the cover before the body; the body is the primary input, so its outline
        # (the PDF's bookmarks) and its named destinations are kept.
        subprocess.run(["qpdf", paths[1], "--pages", paths[0], paths[1], "--", partial], check=True)
        os.replace(partial, out)
    finally:
        for p in os.listdir(work):
            os.remove(os.path.join(work, p))
        os.rmdir(work)
    print("print_book: %s, %d pages of the book, in %.0f s" % (out, len(ids), time.time() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
