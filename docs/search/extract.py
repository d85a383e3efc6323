#!/usr/bin/python3
"""Reads the built site and writes the documents of its full-text search as JSON: one
document per section of every page of the book (title, heading, text), and one per
documented name of the library reference. Chinese text is cut into words with jieba at
this point, so that the index (built by index.js with lunr) holds Chinese words as it
holds English ones.

usage: extract.py SITE_DIR OUT.json
Needs Debian's python3-jieba for pages in Chinese.
"""
import html
import html.parser
import json
import os
import re
import sys

BOOK_PAGE = re.compile(r"^(index|book|exercises|ch\d\d_[a-z0-9_]+|appendix_[a-z0-9_]+|glossary)(_zh)?\.html$")
REFERENCE_PAGE = re.compile(r"^(namespace(?!members)[a-z0-9_]+|(struct|class)[A-Za-z0-9_]+_1_1[A-Za-z0-9_]+)\.html$")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
MATH = re.compile(r"\\\(.*?\\\)|\\\[.*?\\\]|\\begin\{(\w+\*?)\}.*?\\end\{\1\}", re.S)


class Page(html.parser.HTMLParser):
    """Splits a Doxygen page into sections at its headings (h1-h3 of the text, or the
    member titles of a reference page)."""

    SKIP = {"script", "style"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.sections = []  # [anchor, heading, [text...]]
        self.stack = []  # open tags with their classes
        self.in_title = False
        self.heading = None  # [anchor, [text]] while inside a heading
        self.pending_anchor = ""
        self.skip_depth = 0
        self.in_contents = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = a.get("class", "") or ""
        self.stack.append((tag, cls))
        if tag in self.SKIP or (tag == "div" and ("toc" in cls.split() or "memproto" in cls.split())):
            self.skip_depth += 1
        if tag == "div" and "title" in cls.split():
            self.in_title = True
        if tag == "div" and cls == "contents":
            self.in_contents = True
            self.sections.append(["", "", []])
        if tag == "a" and ("anchor" in cls.split() or (a.get("id") and not a.get("href"))):
            anchor = a.get("id") or a.get("name") or ""
            if self.heading is not None:
                self.heading[0] = anchor  # the heading's own anchor
            else:
                self.pending_anchor = anchor
        if self.in_contents and tag in ("h1", "h2", "h3") and "groupheader" not in cls:
            self.heading = [self.pending_anchor, []]
        if tag in ("p", "li", "tr", "br", "dd", "dt", "pre", "div"):
            self.text(" ")

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, cls = self.stack.pop()
            if open_tag in self.SKIP or (open_tag == "div" and ("toc" in cls.split() or "memproto" in cls.split())):
                self.skip_depth -= 1
            if open_tag == "div" and "title" in cls.split():
                self.in_title = False
            if open_tag == tag:
                break
        if tag in ("h1", "h2", "h3") and self.heading is not None:
            anchor, words = self.heading
            self.sections.append([anchor, clean("".join(words)), []])
            self.heading = None
            self.pending_anchor = ""

    def handle_data(self, data):
        if self.in_title:
            self.title += data
            return
        if self.skip_depth:
            return
        if self.heading is not None:
            self.heading[1].append(data)
        elif self.sections:
            self.text(data)

    def text(self, data):
        if self.sections and self.heading is None:
            self.sections[-1][2].append(data)


GREEK = {"alpha": "α", "delta": "δ", "sigma": "σ", "ell": "ℓ", "partial": "∂", "odot": "⊙", "top": "ᵀ",
         "nabla": "∇", "varepsilon": "ε", "epsilon": "ε", "lambda": "λ", "eta": "η", "theta": "θ", "to": "→",
         "cdot": "·", "times": "×", "le": "≤", "ge": "≥", "approx": "≈", "infty": "∞", "hat": "", "mathrm": ""}


def plain_math(match):
    """Short formulas as plain text (\\( \\delta^{[l]} \\) becomes δ^[l]); long ones as …."""
    tex = match.group(0)[2:-2] if match.group(0).startswith(("\\(", "\\[")) else match.group(0)
    tex = re.sub(r"\\([A-Za-z]+)", lambda m: GREEK.get(m.group(1), m.group(1)), tex)
    tex = re.sub(r"[{}]|\\[,;! ]", "", tex).strip()
    return " " + tex + " " if len(tex) <= 24 else " … "


def clean(text):
    text = MATH.sub(plain_math, html.unescape(text))
    return re.sub(r"\s+", " ", text.replace("\u25c6", " ")).strip()


def segment(text):
    """Chinese runs cut into words (jieba's search mode, which also gives the words inside
    longer words), joined by spaces; other text unchanged."""
    if not CJK.search(text):
        return text
    import jieba
    jieba.setLogLevel(60)
    return " ".join(w for w in jieba.cut_for_search(text) if w.strip())


def documents(site):
    docs = []
    for name in sorted(os.listdir(site)):
        book = BOOK_PAGE.match(name)
        if not (book or REFERENCE_PAGE.match(name)):
            continue
        page = Page()
        with open(os.path.join(site, name), encoding="utf-8") as f:
            page.feed(f.read())
        title = clean(page.title)
        for anchor, heading, words in page.sections:
            text = clean("".join(words))
            if not text and not heading:
                continue
            docs.append({
                "id": name + ("#" + anchor if anchor else ""),
                "page": title,
                "heading": heading,
                "kind": "book" if book else "reference",
                "excerpt": text[:300],
                "page_terms": segment(title),
                "heading_terms": segment(heading),
                "body_terms": segment(text),
            })
    return docs


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[-2], file=sys.stderr)
        return 2
    docs = documents(sys.argv[1])
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(docs, f, ensure_ascii=False)
    print("search: %d documents from %d pages" % (len(docs), len({d["id"].split("#")[0] for d in docs})))
    return 0


if __name__ == "__main__":
    sys.exit(main())
