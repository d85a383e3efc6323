#!/usr/bin/python3
"""Folds the lines of a text file at 80 columns for a page of the book: a longer line
is broken at its last space before column 80 (or at column 80 when it has none), and
each continued piece starts four spaces further in than the line it continues. The
page says the file is shown folded; the file itself is left as it is.

With --transpose, IN is a CSV file with a header row (as scores.csv) and OUT shows it
turned on its side, one row per column of IN, in aligned columns: a class's scores fit
the page however many exercises the book has.

usage: fold.py [--transpose] IN OUT
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


def transpose(text):
    import csv
    rows = [r for r in csv.reader(text.splitlines()) if r]
    if not rows or any(len(r) != len(rows[0]) for r in rows):
        raise ValueError("not a CSV table with rows of one length")
    columns = list(zip(*rows))
    widths = [max(len(cell) for cell in row) for row in rows]
    lines = ["  ".join(cell.rjust(w) if i else cell.ljust(w)
                       for i, (cell, w) in enumerate(zip(column, widths))).rstrip()
             for column in columns]
    return "\n".join(lines) + "\n"


def main():
    args = sys.argv[1:]
    turn = args[:1] == ["--transpose"]
    if turn:
        args = args[1:]
    if len(args) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    with open(args[0], encoding="utf-8") as f:
        text = f.read()
    if turn:
        try:
            out = transpose(text).split("\n")
        except ValueError as e:
            print(f"fold.py: {args[0]}: {e}", file=sys.stderr)
            return 2
    else:
        out = text.split("\n")
    out = [p for line in out for p in fold(line)]
    with open(args[1] + ".partial", "w", encoding="utf-8") as f:
        f.write("\n".join(out))
    import os
    os.replace(args[1] + ".partial", args[1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
