// Grading as the `grade` command does it: a chapter (compile, inspect, run each test in a
// process of its own), a student's submission folder in a class build, and a class.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "grader/grader.hpp"

namespace grader {

struct GradeOptions {
    double timeout = 60;                               // seconds each test may run
    std::set<int> chapters;                            // the chapters to grade; empty for all
    std::set<std::string> exercises;                   // the exercises to grade ("5.2"); empty for all
    std::string logs;                                  // where the build logs go
    std::function<void(const std::string&)> progress;  // what is happening, for a person watching
};

// The build's chapters that `options` selects.
std::vector<ChapterSpec> selected_chapters(const Manifest& m, const GradeOptions& options);

// The tests of a chapter that `options` selects (the grading file's, then the teacher's
// hidden ones), with their hints from the handout.
std::vector<Exercise> chapter_tests(const ChapterSpec& spec, const GradeOptions& options);

// Grades one chapter of the build `m`: compiles its test program and the inspection
// object (the build log goes to options.logs), inspects the object (inspect.hpp), and
// runs each test in a process of its own, with a report pipe and a time limit.
ChapterResult grade_chapter(const Manifest& m, const ChapterSpec& spec, const GradeOptions& options);

// One student's folder: the file found for each chapter, and what is wrong with it.
struct Submission {
    std::string student;                // the folder's name
    std::string dir;                    // the folder
    std::map<int, std::string> files;   // chapter number -> its chNN_exercises.cpp, at any depth
    std::vector<std::string> warnings;  // no file at all, misnamed files, two files for a chapter ...
};

// Looks through `dir` (at any depth, not following symbolic links) for the files of the
// chapters of `m`.
Submission find_submission(const std::string& dir, const std::string& student, const Manifest& m);

// Every folder in `dir`, in the order of their names; `warnings` gets the files that are
// in no folder.
std::vector<Submission> find_submissions(const std::string& dir, const Manifest& m, std::vector<std::string>& warnings);

// The class build in `class_dir`: `class_dir`/build, configured like the build of
// `parent` (its generator, compiler and type, without the site) to compile the files in
// `class_dir`/staging, with the teacher's hidden tests from `hidden_tests` ("" for none).
// Configures it when it is missing or set up otherwise; returns its manifest.
Manifest prepare_class_build(const Manifest& parent, const std::string& class_dir, const std::string& hidden_tests,
                             const GradeOptions& options);

// Grades a submission in a class build: each chapter it has a file for is copied into
// the staging folder (only if it differs, so that nothing unchanged is compiled again)
// and graded; a chapter it has no file for scores 0 as "not submitted", uncompiled.
StudentResult grade_submission(const Manifest& class_build, const Submission& submission, const GradeOptions& options);

}  // namespace grader
