#!/usr/bin/env python3
"""Checks the grader's runs in CI, from the files it wrote.

    check_grades.py stubs      GRADER_JSON RESULTS_JSON JUNIT_XML
    check_grades.py solutions  GRADER_JSON RESULTS_JSON JUNIT_XML
    check_grades.py demo       OUTPUT_DIR
    check_grades.py class      RESULTS_DIR EXPECTED_SCORES_CSV
    check_grades.py gradescope RESULTS_JSON

stubs: every chapter from 1 on compiled and has at least three exercises, and every
exercise failed with its own "not implemented yet: see chapter N, exercise K"; score 0.
solutions: every test passed, the teacher's hidden ones too; full score.
demo: the book's sample class (outputs/grade_demo.*): Ana's chapter 3 did not compile and
her chapter 1 was graded; Ben's 1/m slip got its notice and his library call was refused;
Cy's empty folder was warned about; the hidden tests carry their weights and visibility.
class: the class in tests/grade_class: scores.csv exactly as expected; a crash and a hang
each cost their own exercise and are labelled so (errors in JUnit, with times); the forger
and the library-call cheats earn nothing for what they forged or called.
gradescope: Ada's results.json from Gradescope's layout: her score, weights, visibility.
"""
import csv
import json
import os
import sys
import xml.etree.ElementTree as ET


def fail(message):
    print("check_grades: " + message, file=sys.stderr)
    sys.exit(1)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f) if path.endswith(".json") else f.read()


def exercises_of(run):
    """Every test of a grader --json document, by name."""
    return {e["name"]: e for c in run["chapters"] for e in c["exercises"]}


def check_files(results_path, junit_path, total, passed):
    results = load(results_path)
    tests = results["tests"]
    if len(tests) != total:
        fail(f"{results_path} has {len(tests)} tests, expected {total}")
    scored = sum(t["score"] for t in tests)
    if results["score"] != scored or sum(1 for t in tests if t["status"] == "passed") != passed:
        fail(f"{results_path} scores {results['score']} with {passed} passing expected")
    if any(t["max_score"] <= 0 or "output" not in t or t["visibility"] not in
           ("hidden", "after_due_date", "after_published", "visible") for t in tests):
        fail(f"{results_path}: every test needs a max_score, an output and a visibility")
    root = ET.parse(junit_path).getroot()
    cases = root.findall("./testsuite/testcase")
    bad = [c for c in cases if c.find("failure") is not None or c.find("error") is not None]
    if int(root.get("tests")) != total or len(cases) != total or len(cases) - len(bad) != passed:
        fail(f"{junit_path}: {len(cases)} test cases, {len(cases) - len(bad)} passing; expected {total}, {passed}")
    if any(s.get("time") is None for s in root.findall("./testsuite")) or any(c.get("time") is None for c in cases):
        fail(f"{junit_path}: every suite and case needs its time")
    print(f"ok {results_path}: score {results['score']} of {len(tests)} tests; {junit_path}: {len(cases)} test cases")


def check_run(mode, run_path, results_path, junit_path):
    run = load(run_path)
    chapters = run["chapters"]
    numbers = [c["number"] for c in chapters]
    if numbers != list(range(1, len(numbers) + 1)) or len(numbers) < 8:
        fail(f"expected chapters 1 to at least 8, got {numbers}")
    for c in chapters:
        if not c["compiled"]:
            fail(f"{c['chapter']} did not compile: {c['compile_error']}")
        if len({e["number"] for e in c["exercises"]}) < 3:
            fail(f"{c['chapter']} has fewer than three exercises")
        for e in c["exercises"]:
            chapter, k = e["number"].split(".")
            if mode == "stubs":
                expected = f"not implemented yet: see chapter {chapter}, exercise {k}"
                if e["result"] != "failed" or expected not in e["message"]:
                    fail(f"stub {e['number']}: {e['result']}, {e['message']!r}; expected {expected!r}")
                if not e["hint"]:
                    fail(f"exercise {e['number']} has no hint")
            elif e["result"] != "passed":
                fail(f"solution {e['name']}: {e['result']}: {e['message']}")
        print(f"ok {c['chapter']}: {len(c['exercises'])} tests, every one {'failed' if mode == 'stubs' else 'passed'}")
    total = run["total"]
    expected_passed = 0 if mode == "stubs" else total
    if run["passed"] != expected_passed:
        fail(f"{run['passed']} of {total} passed, expected {expected_passed}")
    if mode == "solutions" and not any(e["hidden_test"] for e in exercises_of(run).values()):
        fail("the solutions were graded without the teacher's hidden tests")
    check_files(results_path, junit_path, total, expected_passed)


def expect(condition, message):
    if not condition:
        fail(message)


def check_demo(out):
    ana = load(os.path.join(out, "grade_demo.txt"))
    expect("Chapter 3 (ch03_neuron) did not compile" in ana, "Ana's chapter 3 should not have compiled")
    expect("1.1  the Hadamard product" in ana and "✓ passed" in ana, "Ana's 1.1 should pass")
    results = load(os.path.join(out, "grade_demo.results.json"))
    hidden = [t for t in results["tests"] if t["name"].endswith(", hidden")]
    expect(len(hidden) == 2 and {t["visibility"] for t in hidden} == {"after_published", "after_due_date"}
           and {t["max_score"] for t in hidden} == {1, 2}, f"the hidden tests' weights and visibility: {hidden}")
    ben = load(os.path.join(out, "grade_demo.ben.txt"))
    expect("exactly 1/4 of the expected one" in ben, "Ben's 1/m slip should get its notice")
    expect("calls backprop::loss_gradient" in ben, "Ben's 5.3 should be refused for calling the library")
    summary = load(os.path.join(out, "grade_demo.class.txt"))
    expect("3 students graded in" in summary and "cy: no chNN_exercises.cpp anywhere" in summary,
           "the class summary should grade three and warn about Cy")
    scores = list(csv.reader(open(os.path.join(out, "grade_demo.scores.csv"), encoding="utf-8")))
    expect([row[0] for row in scores] == ["student", "ana", "ben", "cy"], f"the demonstration's gradebook: {scores}")
    policy = load(os.path.join(out, "grade_demo.policy.txt"))
    expect("6.1       backprop::activate_prime" in policy, "the policy table should list 6.1's functions")
    print("ok demonstration: Ana's chapter 3 did not compile and her chapter 1 was graded; Ben's notice and refusal;"
          " Cy warned about; hidden tests with their weights and visibility")


def check_class(results_dir, expected_csv):
    got = load(os.path.join(results_dir, "scores.csv"))
    want = load(expected_csv)
    expect(got == want, f"scores.csv differs from {expected_csv}:\n{got}")
    print(f"ok {results_dir}/scores.csv is exactly {expected_csv}")

    def student(name):
        return exercises_of(load(os.path.join(results_dir, name, "grade.json")))

    def junit(name):
        return ET.parse(os.path.join(results_dir, name, "junit.xml")).getroot()

    # Eve's 1.2 crashes: only 1.2, labelled as a crash, an <error> in JUnit.
    eve = student("eve")
    for name, e in ((n, e) for n, e in eve.items() if e["number"].startswith("1.")):
        if e["number"] == "1.2":
            expect(e["result"] == "crashed" and e["message"] == "crashed (signal 11, SIGSEGV) in this exercise",
                   f"eve {name}: {e['result']}: {e['message']}")
        else:
            expect(e["result"] == "passed", f"eve {name} should pass despite the crash in 1.2: {e['message']}")
    errors = [c for c in junit("eve").iter("testcase")
              if c.get("classname") == "ch01_matmul" and c.find("error") is not None]
    expect(len(errors) == 2 and all(c.find("error").get("type") == "crashed" for c in errors),
           "eve's crashes should be <error type=\"crashed\">")
    # Fay's 1.3 never ends: labelled as such, the others graded.
    for name, e in ((n, e) for n, e in student("fay").items() if e["number"].startswith("1.")):
        if e["number"] == "1.3":
            expect(e["result"] == "did not finish" and
                   e["message"] == "did not finish within 10 s (an endless loop?)", f"fay {name}: {e['message']}")
        else:
            expect(e["result"] == "passed", f"fay {name} should pass despite the hang in 1.3")
    # Gus's forgery: his chapter 5 is not run at all, and earns nothing.
    gus = [e for e in student("gus").values() if e["number"].startswith("5.")]
    expect(all(e["result"] == "refused" and e["score"] == 0 for e in gus), "gus should earn nothing")
    message = gus[0]["message"]
    for word in ("getenv", "write", "basic_ifstream"):
        expect(word in message, f"gus's refusal should name {word}: {message}")
    # Hal's library calls: 5.2 and 6.1 directly, 6.2 and 6.3 through 6.1; 5.1 is his own.
    hal = student("hal")
    for number, called in (("5.2", "backprop::output_delta"), ("6.1", "backprop::hidden_delta"),
                           ("6.2", "backprop::hidden_delta"), ("6.3", "backprop::hidden_delta")):
        e = next(e for e in hal.values() if e["number"] == number)
        expect(e["result"] == "refused" and called in e["message"], f"hal {number}: {e['result']}: {e['message']}")
    expect(next(e for e in hal.values() if e["number"] == "5.1")["result"] == "passed", "hal's own 5.1 should pass")
    # Dan's chapter 3 does not compile; his chapter 1 is graded.
    dan = student("dan")
    expect(all(e["result"] == "did not compile" for e in dan.values() if e["number"].startswith("3.")),
           "dan's chapter 3 should not compile")
    # Every suite and case carries its time; warnings for Cat's empty folder and Ivy's name.
    for s in os.listdir(results_dir):
        if os.path.isdir(os.path.join(results_dir, s)):
            root = junit(s)
            expect(all(x.get("time") is not None for x in root.iter("testsuite")) and
                   all(x.get("time") is not None for x in root.iter("testcase")), f"{s}'s junit.xml needs times")
    summary = load(os.path.join(results_dir, "summary.txt"))
    expect("cat: no chNN_exercises.cpp anywhere" in summary, "the summary should warn about cat's empty folder")
    expect("ivy: found ivy/ch01_exercises (1).cpp: not graded" in summary, "the summary should warn about ivy's file")
    expect("9 students graded in" in summary, "the summary should count nine students")
    print("ok class: eve's crash and fay's hang each cost one exercise; gus's forgery and hal's library calls were"
          " refused; dan's chapter 3 did not compile; warnings for cat and ivy")


def check_gradescope(path):
    results = load(path)
    tests = results["tests"]
    expect(results["score"] == 8 and results["max_score"] == 10, f"Ada should score 8 of 10, not {results['score']}")
    hidden = [t for t in tests if t["name"].endswith(", hidden")]
    expect(sorted((t["max_score"], t["visibility"]) for t in hidden) == [(1, "after_due_date"), (2, "after_published")],
           f"the hidden tests in {path}: {hidden}")
    expect(all(t["status"] == "passed" for t in tests if t["number"].startswith("1.")), "Ada's chapter 1 should pass")
    print(f"ok {path}: score {results['score']} of {results['max_score']}, hidden tests with weights and visibility")


def main():
    mode = sys.argv[1]
    if mode in ("stubs", "solutions"):
        check_run(mode, *sys.argv[2:5])
    elif mode == "demo":
        check_demo(sys.argv[2])
    elif mode == "class":
        check_class(sys.argv[2], sys.argv[3])
    elif mode == "gradescope":
        check_gradescope(sys.argv[2])
    else:
        fail("unknown mode " + mode)


main()
