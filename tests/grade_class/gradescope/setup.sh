#!/usr/bin/env bash
# Gradescope's setup.sh for the book's exercises. The autograder's zip holds
# the repository, this file, run_autograder and, if the teacher has any,
# hidden/ with the hidden tests (chNN_hidden.cpp); Gradescope unpacks it into
# /autograder/source and runs this once, as root, when it builds the
# autograder's image. CHAPTERS are the assignment's chapters (the same in
# run_autograder).
set -euo pipefail
cd /autograder/source
CHAPTERS="${CHAPTERS:-1 5}"
packages="cmake ninja-build g++ libxtensor-dev libxtensor-blas-dev
          libopenblas-dev catch2 libcli11-dev nlohmann-json3-dev
          doxygen graphviz"
if ! dpkg -s $packages > /dev/null 2>&1; then
  apt-get update && apt-get install -y --no-install-recommends $packages
fi
# The grader, and with it every student's code, runs as this unprivileged user.
id grader > /dev/null 2>&1 ||
  useradd --system --create-home --shell /usr/sbin/nologin grader
chown -R grader: /autograder/source
as_grader() { runuser -u grader -- "$@"; }
hidden=()
if [ -d hidden ]; then hidden=(--hidden-tests hidden); fi
chapters=()
for c in $CHAPTERS; do chapters+=(--chapter "$c"); done
as_grader cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DBOOK_DOCS=OFF > /dev/null
as_grader cmake --build build --target grade > /dev/null
# The class build: the libraries and the chapters' tests, compiled once, here.
as_grader build/bin/grade --prepare "${chapters[@]}" "${hidden[@]}"
