#!/usr/bin/python3
"""Proves that check_zh.py catches the edition drifting apart: on a copy of the book's
pages, an equation edited in one edition only, a snippet dropped from a Chinese page, a
section anchor renamed, an exercise's answer removed and a glossary variant used must
each fail the check, while the unchanged copy passes.

usage: test_check_zh.py SOURCE_DIR WORK_DIR
"""
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def copy_pages(source, work):
    """The Markdown pages, the glossary and book.md, with their folders, into work."""
    shutil.rmtree(work, ignore_errors=True)
    for root, _, files in os.walk(source):
        rel = os.path.relpath(root, source)
        if rel.startswith(("build", ".git")):
            continue
        for f in files:
            if f.endswith(".md"):
                os.makedirs(os.path.join(work, rel), exist_ok=True)
                shutil.copy(os.path.join(root, f), os.path.join(work, rel, f))


def check(work):
    return subprocess.run([sys.executable, os.path.join(HERE, "check_zh.py"), work],
                          capture_output=True, text=True)


def edit(path, old, new, count=1):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if isinstance(old, re.Pattern):
        changed = old.sub(new, text, count=count)
    else:
        changed = text.replace(old, new, count)
    if changed == text:
        raise SystemExit("test_check_zh: could not make the edit in " + path)
    with open(path, "w", encoding="utf-8") as f:
        f.write(changed)


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    source, work = sys.argv[1:]
    failures = []
    copy_pages(source, work)
    clean = check(work)
    if clean.returncode != 0:
        failures.append("the unchanged pages should pass:\n" + clean.stdout)
    zh = os.path.join(work, "chapters", "ch06_hidden_delta", "ch06_hidden_delta.zh.md")
    errata = os.path.join(work, "docs", "appendix_errata.zh.md")  # a page with sections' anchors
    mutations = [
        ("an equation edited in the Chinese edition only",
         lambda: edit(zh, "\\tag{", "+ 1 \\tag{")),
        ("a snippet left out of a Chinese page",
         lambda: edit(zh, re.compile(r"^\\snippet .*$", re.M), "")),
        ("a section's anchor renamed",
         lambda: edit(errata, re.compile(r"^(##.*?)\{#([A-Za-z0-9_]+)\}", re.M), r"\1{#renamed}")),
        ("a written exercise's answer removed",
         lambda: edit(zh, re.compile(r"<details>.*?</details>", re.S), "")),
        ("a word the glossary does not use (正向传播 for 前向传播)",
         lambda: edit(zh, "前向传播", "正向传播")),
        ("a glossary term's first use without its English",
         lambda: edit(zh, re.compile(r"（\s*backpropagation\s*）", re.I), "")),
        ("emphasis written next to Chinese text, which Doxygen would show with its asterisks",
         lambda: edit(zh, "<em>", "*", 1) or edit(zh, "</em>", "*", 1)),
        ("the replacement character U+FFFD in a Chinese page",
         lambda: edit(zh, "。", "\ufffd。")),
    ]
    for what, mutate in mutations:
        copy_pages(source, work)
        mutate()
        r = check(work)
        if r.returncode == 0:
            failures.append("the check passed with " + what)
        else:
            print("caught: %s (%s)" % (what, r.stdout.strip().splitlines()[-1][:160]))
    # The drawings' translator refuses a label with a word its table does not have, so a
    # new drawing cannot reach the Chinese edition half in English.
    os.makedirs(work, exist_ok=True)
    dot = os.path.join(work, "new.dot")
    with open(dot, "w", encoding="utf-8") as f:
        f.write('digraph { label=<Step 1 of 7: the error reaches neuron 1 of hidden layer 1>; '
                'a [label="neuron 2"]; b [label="a brand new word"]; }')
    r = subprocess.run([sys.executable, os.path.join(HERE, "figure_terms.py"), dot, dot + ".zh"],
                       capture_output=True, text=True)
    if r.returncode == 0 or "brand" not in r.stderr or os.path.exists(dot + ".zh"):
        failures.append("figure_terms.py accepted a label with words it cannot translate")
    else:
        print("caught: a drawing's label with words the table does not have (%s)" % r.stderr.strip()[:120])
    with open(dot, "w", encoding="utf-8") as f:
        f.write('digraph { label=<Step 1 of 7: the error reaches neuron 1 of hidden layer 1>; a [label="neuron 2"]; }')
    r = subprocess.run([sys.executable, os.path.join(HERE, "figure_terms.py"), dot, dot + ".zh"],
                       capture_output=True, text=True)
    with open(dot + ".zh", encoding="utf-8") if r.returncode == 0 else open(os.devnull) as f:
        made = f.read()
    if "第 1 步（共 7 步）：误差项到达第 1 隐藏层的神经元 1" not in made or "神经元 2" not in made:
        failures.append("figure_terms.py did not translate a known label: %r %s" % (made, r.stderr))
    shutil.rmtree(work, ignore_errors=True)
    for f in failures:
        print("FAIL " + f)
    print("%d passed, %d failed" % (len(mutations) + 3 - len(failures), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
