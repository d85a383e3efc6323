#!/usr/bin/python3
"""Folds the lines of a text file at 80 columns for a page of the book: a longer line
is broken at its last space before column 80 (or at column 80 when it has none), and
each continued piece starts four spaces further in than the line it continues. The
page says the file is shown folded; the file itself is left as it is.

usage: fold.py IN OUT
"""
import sys

WIDTH = 80


def fold(line):
    indent = len(line) - len(line.lstrip(" "))
    pieces = []
    rest = line
    lead = ""
    while len(lead + rest) > WIDTH:
        room = WIDTH - len(lead)
        cut = rest.rfind(" ", 0, room + 1)
        if cut <= len(lead.strip()) or cut <= 0:
            cut = room
        pieces.append(lead + rest[:cut].rstrip())
        rest = rest[cut:].lstrip(" ")
        lead = " " * (indent + 4)
    pieces.append(lead + rest)
    return pieces


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        lines = f.read().split("\n")
    out = [p for line in lines for p in fold(line)]
    with open(sys.argv[2] + ".partial", "w", encoding="utf-8") as f:
        f.write("\n".join(out))
    import os
    os.replace(sys.argv[2] + ".partial", sys.argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main())
