#!/usr/bin/python3
"""Checks that the Chinese edition agrees with the English one and follows its glossary.

For every page of the book (book.md and its \\subpage list, and the front page), its
Chinese twin beside it (NAME.zh.md) must have:

- the same code: the same \\snippet FILE TAG, in the same order;
- the same program output: the same \\verbinclude FILE, in the same order;
- the same figures: the same \\image html FILE, in order (a Chinese variant FILE.zh.svg of
  FILE.svg counts as the same figure);
- the same numbered equations: the same \\tag{...} numbers in the same order, each with the
  same TeX (blanks aside);
- the same sections: the same heading levels in order and the same anchors {#id} (the
  page's own id with "_zh" added);
- the same references to other pages (\\ref NAME, as NAME_zh);
- the same written exercises: as many numbered exercises and as many folded answers.

Every Chinese page must also follow the glossary (docs/appendix_glossary.zh.md): no term on its
"not" list, and the first use of each glossary term in the text of a page followed by
the English in full-width parentheses, e.g. 反向传播（backpropagation）. And no page may
hold U+FFFD, the character of a damaged encoding.

usage: check_zh.py SOURCE_DIR            check every page; exit 1 on any difference
       check_zh.py EN.md ZH.md GLOSSARY   check one pair (for tests)
"""
import os
import re
import sys

CJK = r"[\u3400-\u9fff]"


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def without_code(text):
    """The text with code blocks, inline code, math, HTML tags and commands' arguments
    (file names, tags, ids) removed, for the prose checks."""
    # Math first: a display equation's continued lines are indented like code.
    text = re.sub(r"\\f\[.*?\\f\]", " ", text, flags=re.S)
    text = re.sub(r"\\f\$.*?\\f\$", " ", text, flags=re.S)
    text = re.sub(r"^( {4}|\t).*$", " ", text, flags=re.M)  # indented code
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"\\\\\(.*?\\\\\)", " ", text, flags=re.S)
    text = re.sub(r"`[^`]*`", " ", text)
    # Each command with its arguments only: the words after them are prose.
    text = re.sub(r"\\snippet\s+\S+\s+\S+", " ", text)
    text = re.sub(r"\\image\s+html\s+\S+(\s+\"[^\"]*\")?", " ", text)
    text = re.sub(r"\\(verbinclude|ref|subpage)\s+[A-Za-z0-9_.\-/]+", " ", text)
    text = re.sub(r"\{#[^}]*\}", " ", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"\b[a-z_]+::[A-Za-z_:]+(\(\))?", " ", text)  # backprop::names
    return text


def structure(text, page_id_suffix):
    """What the two editions must share, read from a page's Markdown."""
    s = {}
    s["snippets"] = re.findall(r"\\snippet\s+(\S+)\s+(\S+)", text)
    s["outputs"] = re.findall(r"\\verbinclude\s+(\S+)", text)
    s["figures"] = [re.sub(r"\.zh(\.\w+)$", r"\1", f) for f in re.findall(r"\\image\s+html\s+(\S+)", text)]
    equations = []
    for block in re.findall(r"\\f\[(.*?)\\f\]", text, flags=re.S):
        for tag in re.findall(r"\\tag\{([^}]*)\}", block):
            equations.append((tag, re.sub(r"\s+", "", block)))
    s["equations"] = equations
    headings = []
    for m in re.finditer(r"^(#{1,6})\s.*?(\{#([A-Za-z0-9_]+)\})?\s*$", text, flags=re.M):
        anchor = m.group(3) or ""
        if page_id_suffix and anchor.endswith(page_id_suffix) and m.group(1) == "#":
            anchor = anchor[: -len(page_id_suffix)]
        headings.append((len(m.group(1)), anchor))
    s["sections"] = headings
    refs = re.findall(r"\\(?:ref|subpage)\s+([A-Za-z0-9_]+)", text)
    s["references"] = sorted({r[: -len(page_id_suffix)] if page_id_suffix and r.endswith(page_id_suffix) else r
                              for r in refs})
    exercises = 0
    m = re.search(r"^##\s+(Exercises|练习)\s*(\{#[^}]*\})?\s*$(.*?)(^##\s|\Z)", text, flags=re.M | re.S)
    if m:
        exercises = len(re.findall(r"^\d+\.\s", m.group(3), flags=re.M))
    s["exercises"] = exercises
    s["answers"] = len(re.findall(r"<details>", text))
    return s


def glossary(path):
    """The glossary's terms: (English, Chinese, [variants not used]) from the table of
    docs/appendix_glossary.zh.md whose header starts with 'English'."""
    terms = []
    in_table = False
    for line in read(path).splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.strip().startswith("|") else None
        if cells and cells[0].lower().startswith("english") and len(cells) >= 4:
            in_table = True
            continue
        if not cells:
            in_table = False
            continue
        if in_table and not set(cells[0]) <= set("-: "):
            english = re.sub(r"\s*\(.*?\)", "", cells[0]).strip()
            chinese = cells[1]
            variants = [v.strip() for v in re.split(r"[、,，]", cells[3]) if v.strip() and v.strip() != "—"]
            terms.append((english, chinese, variants))
    return terms


def check_terms(zh_text, terms, name):
    problems = []
    prose = without_code(zh_text)
    body = "\n".join(line for line in prose.splitlines() if not line.lstrip().startswith("#"))
    for english, chinese, variants in terms:
        for v in variants:
            # A variant that is part of the chosen term (逐元素 inside 逐元素乘积) is not a use of it.
            for m in re.finditer(re.escape(v), body):
                around = body[max(0, m.start() - len(chinese)):m.end() + len(chinese)]
                if chinese not in around:
                    problems.append("%s: uses %s for %s (%s); the glossary says %s" % (name, v, english, chinese,
                                                                                      chinese))
                    break
        # The first use of the term on its own, not inside a longer term of the glossary
        # (导数 inside 偏导数 is a use of 偏导数).
        longer = [c for _, c, _ in terms if chinese in c and c != chinese]
        at = -1
        for m in re.finditer(re.escape(chinese), body):
            inside = any(body.find(c, max(0, m.start() - len(c)), m.end() + len(c)) >= 0 and
                         any(k <= m.start() and m.end() <= k + len(c)
                             for k in [i.start() for i in re.finditer(re.escape(c), body[max(0, m.start() - len(c)):m.end() + len(c)])]
                             for k in [k + max(0, m.start() - len(c))])
                         for c in longer)
            if not inside:
                at = m.start()
                break
        if at < 0:
            continue
        after = body[at + len(chinese):at + len(chinese) + len(english) + 8]
        if not re.match(r"\s*（\s*" + re.escape(english) + r"\s*[，,）;；]", after, flags=re.I):
            problems.append("%s: the first use of %s is not followed by （%s）" % (name, chinese, english))
    return problems


def compare(en_path, zh_path, terms):
    problems = []
    en, zh = read(en_path), read(zh_path)
    name = os.path.basename(zh_path)
    if "\ufffd" in zh or "\ufffd" in en:
        problems.append("%s: holds U+FFFD, the mark of a damaged encoding" % name)
    a, b = structure(en, ""), structure(zh, "_zh")
    for key in a:
        if a[key] != b[key]:
            only_en = [x for x in a[key] if x not in b[key]] if isinstance(a[key], list) else a[key]
            only_zh = [x for x in b[key] if x not in a[key]] if isinstance(b[key], list) else b[key]
            problems.append("%s: the %s differ from %s's: English only %s; Chinese only %s"
                            % (name, key, os.path.basename(en_path), str(only_en)[:300], str(only_zh)[:300]))
    first = re.search(r"\{#([A-Za-z0-9_]+)\}", en)
    first_zh = re.search(r"\{#([A-Za-z0-9_]+)\}", zh)
    if first and (not first_zh or first_zh.group(1) != first.group(1) + "_zh"):
        problems.append("%s: its page id must be %s_zh" % (name, first.group(1)))
    if not re.search(CJK, zh):
        problems.append("%s: has no Chinese text" % name)
    # Doxygen 1.9.4 leaves *...* and **...** as they are unless the opening asterisk
    # follows a blank (or the line's start) and the closing one is followed by a blank or
    # ASCII punctuation: next to Chinese text or full-width punctuation the reader would
    # see the asterisks.
    prose = without_code(zh)
    for m in re.finditer(r"(?<![*\\])(\*{1,2})[^*\s][^*\n]*?(?<=\S)\1(?!\*)", prose):
        before = prose[m.start() - 1:m.start()] if m.start() > 0 else " "
        after = prose[m.end():m.end() + 1] or " "
        if not (before.isspace() or before in "([") or not (after.isspace() or after in ".,;:!?)]'\""):
            problems.append("%s: emphasis %s touches Chinese text, which Doxygen shows with its asterisks: "
                            "put a blank on each side, or use <em> or <b>" % (name, m.group(0)[:40]))
            break
    # The glossary itself lists the variants and the terms in its table.
    if not name.startswith("appendix_glossary"):
        problems += check_terms(zh, terms, name)
    return problems


def pages(source):
    """Every English page with a Chinese twin to have: the front page, book.md and each
    \\subpage of book.md."""
    book = os.path.join(source, "book.md")
    out = [os.path.join(source, "docs", "mainpage.md"), book]
    for page in re.findall(r"\\subpage\s+([A-Za-z0-9_]+)", read(book)):
        for candidate in (os.path.join(source, "chapters", page, page + ".md"),
                          os.path.join(source, "docs", page + ".md")):
            if os.path.exists(candidate):
                out.append(candidate)
                break
        else:
            out.append(os.path.join(source, "docs", page + ".md"))
    return out


def twin(path):
    return path[:-3] + ".zh.md"


def main():
    args = sys.argv[1:]
    if len(args) == 3:
        problems = compare(args[0], args[1], glossary(args[2]))
        checked = 1
    elif len(args) == 1:
        source = args[0]
        terms = glossary(os.path.join(source, "docs", "appendix_glossary.zh.md"))
        problems = []
        checked = 0
        for en in pages(source):
            if not os.path.exists(twin(en)):
                problems.append("%s has no Chinese twin %s" % (os.path.relpath(en, source),
                                                              os.path.relpath(twin(en), source)))
                continue
            problems += compare(en, twin(en), terms)
            checked += 1
        if len(terms) < 30:
            problems.append("the glossary has %d terms; it should have every term the book uses" % len(terms))
    else:
        print(__doc__.strip().splitlines()[-2], file=sys.stderr)
        return 2
    print("check_zh: %d pages and their Chinese twins compared" % checked)
    for p in problems:
        print("FAIL " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
