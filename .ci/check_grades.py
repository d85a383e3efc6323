#!/usr/bin/env python3
"""Checks a grading run both ways, from the grader's files.

    check_grades.py stubs     GRADER_JSON RESULTS_JSON JUNIT_XML
    check_grades.py solutions GRADER_JSON RESULTS_JSON JUNIT_XML
    check_grades.py demo      GRADER_TABLE RESULTS_JSON JUNIT_XML

stubs: every chapter 1-9 compiled and has at least three exercises, and every exercise
failed with its own "not implemented yet: see chapter N, exercise K"; the score is 0.
solutions: every exercise passed; full score. demo: the sample submission's chapter 3
did not compile and every other chapter was graded all the same.
"""
import json
import sys
import xml.etree.ElementTree as ET


def fail(message):
    print("check_grades: " + message, file=sys.stderr)
    sys.exit(1)


def check_files(results_path, junit_path, total, passed):
    results = json.load(open(results_path))
    tests = results["tests"]
    if len(tests) != total:
        fail(f"{results_path} has {len(tests)} tests, expected {total}")
    if results["score"] != passed or sum(t["score"] for t in tests) != passed:
        fail(f"{results_path} scores {results['score']}, expected {passed}")
    if any(t["max_score"] != 1 or "output" not in t for t in tests):
        fail(f"{results_path}: every test needs max_score 1 and an output")
    root = ET.parse(junit_path).getroot()
    cases = root.findall("./testsuite/testcase")
    bad = [c for c in cases if c.find("failure") is not None or c.find("error") is not None]
    if int(root.get("tests")) != total or len(cases) != total or len(cases) - len(bad) != passed:
        fail(f"{junit_path}: {len(cases)} test cases, {len(cases) - len(bad)} passing; expected {total}, {passed}")
    print(f"ok {results_path}: score {results['score']} of {len(tests)}; {junit_path}: {len(cases)} test cases")


def main():
    mode, run_path, results_path, junit_path = sys.argv[1:5]
    if mode == "demo":
        table = open(run_path).read()
        if "Chapter 3 (ch03_neuron) did not compile" not in table:
            fail("the demonstration's chapter 3 should not have compiled")
        results = json.load(open(results_path))
        chapters = {t["tags"][0] for t in results["tests"]}
        graded = {t["tags"][0] for t in results["tests"] if "did not compile" not in t["output"]}
        if len(chapters) != 9 or graded != chapters - {"ch03_neuron"}:
            fail(f"the demonstration graded {sorted(graded)} of {sorted(chapters)}")
        print(f"ok demonstration: chapter 3 did not compile, the other {len(graded)} chapters were graded")
        return
    run = json.load(open(run_path))
    chapters = run["chapters"]
    if [c["number"] for c in chapters] != list(range(1, 10)):
        fail(f"expected chapters 1-9, got {[c['number'] for c in chapters]}")
    for c in chapters:
        if not c["compiled"]:
            fail(f"{c['chapter']} did not compile: {c['compile_error']}")
        if len(c["exercises"]) < 3:
            fail(f"{c['chapter']} has {len(c['exercises'])} exercises, fewer than three")
        for e in c["exercises"]:
            chapter, k = e["number"].split(".")
            if mode == "stubs":
                expected = f"not implemented yet: see chapter {chapter}, exercise {k}"
                if e["result"] != "failed" or expected not in e["message"]:
                    fail(f"stub {e['number']}: {e['result']}, {e['message']!r}; expected {expected!r}")
                if not e["hint"]:
                    fail(f"exercise {e['number']} has no hint")
            elif e["result"] != "passed":
                fail(f"solution {e['number']}: {e['result']}: {e['message']}")
        print(f"ok {c['chapter']}: {len(c['exercises'])} exercises, every one {'failed' if mode == 'stubs' else 'passed'}")
    total = run["total"]
    expected_passed = 0 if mode == "stubs" else total
    if run["passed"] != expected_passed:
        fail(f"{run['passed']} of {total} passed, expected {expected_passed}")
    check_files(results_path, junit_path, total, expected_passed)


main()
