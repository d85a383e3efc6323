#!/usr/bin/python3
"""Reads the PDF edition back, as a reader's PDF viewer would, and fails if a page of the
book is missing or out of order, if math was left as raw TeX or MathJax reported an error,
or if the PDF has fewer pages than the book has chapters.

usage: check_pdf.py BOOK.pdf BOOK_MD
Needs Debian's poppler-utils (pdfinfo, pdftotext).
"""
import os
import re
import subprocess
import sys

RAW_TEX = [r"\f$", r"\f[", r"\(", r"\)", r"\[", r"\]", r"\frac", r"\begin{", r"\delta", r"\sigma", r"\mathrm"]


def titles(book_md):
    """The title of the front page and of every \\subpage, from their Markdown files."""
    root = os.path.dirname(os.path.abspath(book_md))
    with open(book_md, encoding="utf-8") as f:
        text = f.read()
    out = [re.match(r"#\s*(.*?)\s*\{#", text).group(1)]
    for page in re.findall(r"\\subpage\s+([A-Za-z0-9_]+)", text):
        # A Chinese page X_zh is X.zh.md beside X.md.
        name, suffix = (page[:-3], ".zh.md") if page.endswith("_zh") else (page, ".md")
        candidates = [os.path.join(root, "chapters", name, name + suffix), os.path.join(root, "docs", name + suffix)]
        path = next((p for p in candidates if os.path.exists(p)), None)
        if path is None:
            raise SystemExit("check_pdf: no Markdown file for page " + page)
        with open(path, encoding="utf-8") as f:
            out.append(re.match(r"#\s*(.*?)\s*\{#", f.read()).group(1))
    return out


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[-2], file=sys.stderr)
        return 2
    pdf, book_md = sys.argv[1:]
    problems = []
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True)
    if info.returncode != 0:
        print("FAIL pdfinfo cannot read %s: %s" % (pdf, info.stderr.strip()))
        return 1
    pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True, text=True,
                          check=True).stdout
    expected = titles(book_md)
    if pages < len(expected) + 1:
        problems.append("%d pages for %d pages of the book and a cover" % (pages, len(expected)))
    # Every page of the book starts a new page of the PDF with its title: the start of
    # each PDF page's text (pdftotext separates pages with a form feed).
    starts = [re.sub(r"\s+", " ", page).strip()[:200] for page in text.split("\f")]
    position = -1
    for title in expected:
        wanted = re.sub(r"\s+", " ", title)
        at = next((k for k in range(position + 1, len(starts)) if starts[k].startswith(wanted)), None)
        if at is None:
            problems.append("no page starts with the title %r after page %d" % (title, position + 1))
        else:
            position = at
    for marker in RAW_TEX:
        if marker in text:
            i = text.index(marker)
            problems.append("raw TeX %r: ...%s..." % (marker, text[max(0, i - 40):i + 40].replace("\n", " ")))
    if "Math Processing Error" in text:
        problems.append("MathJax reported a Math Processing Error")
    print("check_pdf: %s has %d pages; %d pages of the book expected, each starting a page, in order"
          % (pdf, pages, len(expected)))
    for p in problems:
        print("FAIL " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
