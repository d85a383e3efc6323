#!/usr/bin/python3
"""Doxygen's input filter for the Chinese pages (FILTER_PATTERNS in Doxyfile.zh.in): joins
the lines of a paragraph where a line break falls between two Chinese characters (or
full-width punctuation). The sources stay wrapped at 80 columns for editing; a browser
would draw each such break as a space in the middle of a Chinese sentence. Breaks next to
Latin text, math or code stay (a space is right there), and code blocks, display math,
tables, headings and list items are left as they are.

usage: join_lines.py FILE      (the filtered text goes to standard output)
"""
import re
import sys

WIDE = r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]"


def join(text):
    lines = text.split("\n")
    out = []
    fenced = False
    math = False
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("```"):
            fenced = not fenced
        opens = line.count("\\f[") > line.count("\\f]")
        closes = line.count("\\f]") > line.count("\\f[")
        prev = out[-1] if out else ""
        can_join = (not fenced and not math and out and prev.strip() and stripped
                    and re.search(WIDE + r"$", prev.rstrip()) and re.match(WIDE, stripped)
                    and not prev.lstrip().startswith(("|", "#")) and not re.match(r"( {4,}|\t)", prev)
                    and not stripped.startswith(("|", "#")))
        if can_join:
            out[-1] = prev.rstrip() + stripped
        else:
            out.append(line)
        if opens:
            math = True
        if closes:
            math = False
    return "\n".join(out)


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        sys.stdout.write(join(f.read()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
