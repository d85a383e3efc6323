# Helpers that keep the top-level CMakeLists.txt at one line per chapter and test.

set(BOOK_OUTPUT_DIR ${CMAKE_BINARY_DIR}/outputs)
set(BOOK_OUTPUTS "" CACHE INTERNAL "Files the chapter programs write for the book")
set(BOOK_PAGES "" CACHE INTERNAL "The book's pages, in reading order")
set(BOOK_EXERCISES "" CACHE INTERNAL "Every chapter's exercises, as JSON objects for the grader's manifest")
set(BOOK_EXERCISE_SOURCES "" CACHE INTERNAL "The exercises' files, which the grader's demonstration depends on")
set(BOOK_EXERCISE_SOLUTIONS_MISSING OFF CACHE INTERNAL "Some chapter's reference solutions are not in this copy")
# BOOK_EXERCISES_FROM as an absolute path (a relative one is taken from the source directory).
set(BOOK_EXERCISES_FROM_DIR "")
if(BOOK_EXERCISES_FROM)
  get_filename_component(BOOK_EXERCISES_FROM_DIR "${BOOK_EXERCISES_FROM}" ABSOLUTE BASE_DIR ${CMAKE_SOURCE_DIR})
endif()
find_program(DOT_EXECUTABLE dot)
find_program(GNUPLOT_EXECUTABLE gnuplot)

# Precompile the heavy third-party headers once per target.
function(book_precompile target)
  target_precompile_headers(${target} PRIVATE
    <xtensor/xtensor.hpp> <xtensor/xarray.hpp> <xtensor/xbuilder.hpp> <xtensor/xio.hpp>
    <xtensor-blas/xlinalg.hpp>)
endfunction()

# The chapter programs and the tests are thin: the work is in the libraries, which are
# fully optimised. Compiling them with -O1 in release builds halves their compile time
# (CLI11, nlohmann-json, xtensor and Catch2 are template-heavy) without slowing anything
# that is measured.
set(BOOK_THIN_FLAGS $<$<CONFIG:Release>:-O1>)


# add_book_test(test_name [extra sources...]): tests/<test_name>.cpp, run by ctest.
function(add_book_test name)
  add_executable(${name} tests/${name}.cpp ${ARGN})
  target_link_libraries(${name} PRIVATE test_main test_support)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  target_precompile_headers(${name} REUSE_FROM test_support)
  catch_discover_tests(${name} WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
endfunction()

# add_book_page(path): a Markdown page of the book (path from the repository root).
function(add_book_page page)
  set(BOOK_PAGES ${BOOK_PAGES} ${CMAKE_SOURCE_DIR}/${page} CACHE INTERNAL "")
endfunction()

function(book_add_output file)
  set(BOOK_OUTPUTS ${BOOK_OUTPUTS} ${file} CACHE INTERNAL "")
endfunction()

# Runs a chapter program with the given arguments into outputs/<file>; the file is
# written only if the program succeeds, so a failed run never leaves a partial file.
function(book_run_program chapter file)
  set(out ${BOOK_OUTPUT_DIR}/${file})
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:${chapter}> "-DARGS=${ARGN}"
            -DOUTPUT=${out} -P ${CMAKE_SOURCE_DIR}/cmake/RunProgram.cmake
    DEPENDS ${chapter} ${CMAKE_SOURCE_DIR}/cmake/RunProgram.cmake
    COMMENT "Running ${chapter} ${ARGN} > outputs/${file}"
    VERBATIM)
  book_add_output(${out})
endfunction()

# add_chapter(chNN_slug [FIGURES name.ext ...]):
#  - the page chapters/chNN_slug/chNN_slug.md;
#  - the program build/bin/chNN_slug from chapters/chNN_slug/chNN_slug.cpp;
#  - its default text output outputs/chNN_slug.txt and --json output outputs/chNN_slug.json;
#  - with FIGURES, one run with `--figures outputs/` that must write each
#    outputs/chNN_slug.<name.ext> (Graphviz .dot files and .tsv plot data);
#  - its test tests/test_chNN_slug.cpp, which knows the program's path as PROGRAM_PATH.
function(add_chapter chapter)
  cmake_parse_arguments(ARG "" "" "FIGURES" ${ARGN})
  add_executable(${chapter} chapters/${chapter}/${chapter}.cpp)
  add_book_page(chapters/${chapter}/${chapter}.md)
  target_link_libraries(${chapter} PRIVATE book_lib)
  target_compile_options(${chapter} PRIVATE ${BOOK_THIN_FLAGS})
  target_precompile_headers(${chapter} REUSE_FROM book_lib)
  book_run_program(${chapter} ${chapter}.txt)
  book_run_program(${chapter} ${chapter}.json --json)
  if(ARG_FIGURES)
    set(figures "")
    foreach(f IN LISTS ARG_FIGURES)
      list(APPEND figures ${BOOK_OUTPUT_DIR}/${chapter}.${f})
    endforeach()
    set(log ${BOOK_OUTPUT_DIR}/${chapter}.figures.log)
    add_custom_command(
      OUTPUT ${figures} ${log}
      COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:${chapter}> "-DARGS=--figures;${BOOK_OUTPUT_DIR}"
              -DOUTPUT=${log} -P ${CMAKE_SOURCE_DIR}/cmake/RunProgram.cmake
      DEPENDS ${chapter} ${CMAKE_SOURCE_DIR}/cmake/RunProgram.cmake
      COMMENT "Running ${chapter} --figures outputs/"
      VERBATIM)
    foreach(f IN LISTS figures)
      book_add_output(${f})
    endforeach()
  endif()
  add_book_test(test_${chapter})
  target_compile_definitions(test_${chapter} PRIVATE PROGRAM_PATH="$<TARGET_FILE:${chapter}>")
  add_dependencies(test_${chapter} ${chapter})
endfunction()

# add_chapter_output(chNN_slug name args...): one more run of the program, into
# outputs/chNN_slug.name.txt, for a page to include.
function(add_chapter_output chapter name)
  book_run_program(${chapter} ${chapter}.${name}.txt ${ARGN})
endfunction()

# add_chapter_diagram(chNN_slug name): renders outputs/chNN_slug.name.dot (written by
# the program's --figures run) to outputs/chNN_slug.name.svg with Graphviz.
function(add_chapter_diagram chapter name)
  set(in ${BOOK_OUTPUT_DIR}/${chapter}.${name}.dot)
  set(out ${BOOK_OUTPUT_DIR}/${chapter}.${name}.svg)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${DOT_EXECUTABLE} -Tsvg -o ${out} ${in}
    DEPENDS ${in}
    COMMENT "Drawing outputs/${chapter}.${name}.svg"
    VERBATIM)
  book_add_output(${out})
endfunction()

# add_chapter_plot(chNN_slug name): runs chapters/chNN_slug/name.gp with gnuplot as
#   gnuplot -c name.gp outputs/chNN_slug.name.tsv outputs/chNN_slug.name.svg
# (ARG1 is the data written by the program's --figures run, ARG2 the SVG to write).
function(add_chapter_plot chapter name)
  set(script ${CMAKE_SOURCE_DIR}/chapters/${chapter}/${name}.gp)
  set(in ${BOOK_OUTPUT_DIR}/${chapter}.${name}.tsv)
  set(out ${BOOK_OUTPUT_DIR}/${chapter}.${name}.svg)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${GNUPLOT_EXECUTABLE} -c ${script} ${in} ${out}
    DEPENDS ${in} ${script}
    COMMENT "Plotting outputs/${chapter}.${name}.svg"
    VERBATIM)
  book_add_output(${out})
endfunction()

# add_book_docs(): the site build/docs/html, after every output above. Doxygen runs with
# warnings as errors; MathJax is copied from Debian's package so the site works offline.
# With BOOK_DOCS OFF only the test that the docs build catches mistakes is added.
function(add_book_docs)
  find_package(Doxygen 1.9 REQUIRED dot)
  set(BOOK_DOCS_DIR ${CMAKE_BINARY_DIR}/docs)
  get_filename_component(BOOK_DOT_DIR ${DOXYGEN_DOT_EXECUTABLE} DIRECTORY)
  set(BOOK_PAGES_LIST ${BOOK_PAGES})
  list(JOIN BOOK_PAGES " " BOOK_PAGES)
  configure_file(${CMAKE_SOURCE_DIR}/docs/Doxyfile.in ${BOOK_DOCS_DIR}/Doxyfile @ONLY)
  set(headers "")
  foreach(lib backprop book_lib)
    get_target_property(sources ${lib} SOURCES)
    foreach(src IN LISTS sources)
      string(REGEX REPLACE "\\.cpp$" ".hpp" header ${src})
      list(APPEND headers ${CMAKE_SOURCE_DIR}/${header} ${CMAKE_SOURCE_DIR}/${src})
    endforeach()
  endforeach()
  # The docs build must fail on a missing snippet tag, output file, \ref target or
  # function documentation: prove it on small inputs.
  add_test(NAME "The docs build fails on a missing snippet, output, reference or function doc"
           COMMAND ${CMAKE_COMMAND} -DDOXYFILE=${BOOK_DOCS_DIR}/Doxyfile -DWORK=${CMAKE_BINARY_DIR}/docs-checks
                   -P ${CMAKE_SOURCE_DIR}/cmake/CheckDocsWarnings.cmake
           WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  if(NOT BOOK_DOCS)
    return()
  endif()
  set(stamp ${BOOK_DOCS_DIR}/html/index.html)
  add_custom_command(
    OUTPUT ${stamp}
    COMMAND ${CMAKE_COMMAND} -E rm -rf ${BOOK_DOCS_DIR}/html
    COMMAND Doxygen::doxygen ${BOOK_DOCS_DIR}/Doxyfile
    COMMAND ${CMAKE_COMMAND} -DMATHJAX_DIR=/usr/share/javascript/mathjax -DDEST=${BOOK_DOCS_DIR}/html/mathjax
            -P ${CMAKE_SOURCE_DIR}/cmake/CopyMathJax.cmake
    DEPENDS ${BOOK_OUTPUTS} ${BOOK_PAGES_LIST} ${headers} ${CMAKE_SOURCE_DIR}/book.md
            ${CMAKE_SOURCE_DIR}/docs/mainpage.md ${CMAKE_SOURCE_DIR}/docs/Doxyfile.in
            ${CMAKE_SOURCE_DIR}/docs/DoxygenLayout.xml ${CMAKE_SOURCE_DIR}/docs/book.css
            ${CMAKE_SOURCE_DIR}/docs/mathjax-config.js
            ${CMAKE_SOURCE_DIR}/cmake/CopyMathJax.cmake
    WORKING_DIRECTORY ${BOOK_DOCS_DIR}
    COMMENT "Building the book with Doxygen (warnings are errors)"
    VERBATIM)
  add_custom_target(docs DEPENDS ${stamp})
endfunction()

# add_chapter_exercises(chNN_slug): the chapter's programming exercises, in
# chapters/chNN_slug/exercises/:
#  - chNN_exercises.hpp   the declarations (the contract the tests and solutions share);
#  - chNN_exercises.cpp   the file the student edits: a task, a hint and a stub per exercise;
#  - chNN_grading.cpp     the tests, one TEST_CASE("Exercise N.K: title") per exercise;
#  - solutions/chNN_exercises.cpp  the reference solutions.
# Which file is compiled for the exercises: <BOOK_EXERCISES_FROM>/chNN_exercises.cpp if
# that directory has it (a submission kept outside the tree), else the solution when
# BOOK_EXERCISE_SOLUTIONS is ON, else the student's file.
# The target exercises_chNN_slug is not part of `all`: the grader (build/bin/grade) builds
# each chapter's on its own, so one chapter that does not compile does not stop the rest.
function(add_chapter_exercises chapter)
  string(SUBSTRING ${chapter} 0 4 short)
  set(dir ${CMAKE_SOURCE_DIR}/chapters/${chapter}/exercises)
  set(student ${dir}/${short}_exercises.cpp)
  set(solution ${dir}/solutions/${short}_exercises.cpp)
  if(BOOK_EXERCISES_FROM_DIR AND EXISTS ${BOOK_EXERCISES_FROM_DIR}/${short}_exercises.cpp)
    set(compiled ${BOOK_EXERCISES_FROM_DIR}/${short}_exercises.cpp)
  elseif(BOOK_EXERCISE_SOLUTIONS)
    set(compiled ${solution})
    if(NOT EXISTS ${compiled})
      message(FATAL_ERROR "BOOK_EXERCISE_SOLUTIONS is ON but ${compiled} is missing "
                          "(the solutions were removed from this copy; configure with -DBOOK_EXERCISE_SOLUTIONS=OFF)")
    endif()
  else()
    set(compiled ${student})
  endif()
  set(target exercises_${chapter})
  add_executable(${target} EXCLUDE_FROM_ALL ${dir}/${short}_grading.cpp ${compiled})
  target_include_directories(${target} PRIVATE ${dir})
  target_link_libraries(${target} PRIVATE exercise_main test_support)
  target_precompile_headers(${target} REUSE_FROM test_support)
  # A stub does not use its parameters yet.
  set_source_files_properties(${compiled} PROPERTIES COMPILE_OPTIONS -Wno-unused-parameter)
  set_target_properties(${target} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/exercises)
  set(BOOK_EXERCISES ${BOOK_EXERCISES}
      "{\"chapter\": \"${chapter}\", \"target\": \"${target}\", \"program\": \"$<TARGET_FILE:${target}>\", \"student\": \"${student}\", \"compiled\": \"${compiled}\", \"tests\": \"${dir}/${short}_grading.cpp\"}"
      CACHE INTERNAL "")
  set(BOOK_EXERCISE_SOURCES ${BOOK_EXERCISE_SOURCES} ${dir}/${short}_exercises.hpp ${student} ${dir}/${short}_grading.cpp
      CACHE INTERNAL "")
  if(EXISTS ${solution})
    set(BOOK_EXERCISE_SOURCES ${BOOK_EXERCISE_SOURCES} ${solution} CACHE INTERNAL "")
  else()
    set(BOOK_EXERCISE_SOLUTIONS_MISSING ON CACHE INTERNAL "")
  endif()
endfunction()

# add_book_grader(): build/bin/grade, build/grade/manifest.json (which lists every
# chapter's exercises for it), and the grader's demonstration for the book
# (outputs/grade_demo.*): a real run on the sample submission in docs/grade_demo/, in a
# build directory of its own (build/grade-demo), the other chapters from the reference
# solutions (or, in a copy without them, the student's files). The demonstration is
# left out with BOOK_DOCS OFF.
function(add_book_grader)
  list(JOIN BOOK_EXERCISES ",\n    " chapters)
  if(BOOK_EXERCISE_SOLUTIONS)
    set(description "the reference solutions")
  else()
    set(description "the student's files")
  endif()
  if(BOOK_EXERCISES_FROM_DIR)
    file(RELATIVE_PATH shown ${CMAKE_SOURCE_DIR} ${BOOK_EXERCISES_FROM_DIR})
    if(shown MATCHES "^\\.\\.")
      set(shown ${BOOK_EXERCISES_FROM_DIR})
    endif()
    set(description "the files in ${shown}/, and ${description} for the chapters it does not have")
  endif()
  file(GENERATE OUTPUT ${CMAKE_BINARY_DIR}/grade/manifest.json CONTENT
"{
  \"description\": \"${description}\",
  \"build_dir\": \"${CMAKE_BINARY_DIR}\",
  \"source_dir\": \"${CMAKE_SOURCE_DIR}\",
  \"cmake\": \"${CMAKE_COMMAND}\",
  \"chapters\": [
    ${chapters}
  ]
}
")
  add_executable(grade src/grader/grade.cpp)
  target_link_libraries(grade PRIVATE grader book_lib)
  target_compile_options(grade PRIVATE ${BOOK_THIN_FLAGS})
  target_precompile_headers(grade REUSE_FROM book_lib)
  target_compile_definitions(grade PRIVATE BOOK_BUILD_DIR="${CMAKE_BINARY_DIR}")

  if(NOT BOOK_DOCS)
    return()
  endif()
  if(BOOK_EXERCISE_SOLUTIONS_MISSING)
    set(demo_solutions OFF)
  else()
    set(demo_solutions ON)
  endif()
  file(GLOB demo_files ${CMAKE_SOURCE_DIR}/docs/grade_demo/*.cpp)
  set(outputs ${BOOK_OUTPUT_DIR}/grade_demo.txt ${BOOK_OUTPUT_DIR}/grade_demo.junit.xml
              ${BOOK_OUTPUT_DIR}/grade_demo.results.json)
  add_custom_command(
    OUTPUT ${outputs}
    COMMAND ${CMAKE_COMMAND} -DGRADE=$<TARGET_FILE:grade> -DSOURCE_DIR=${CMAKE_SOURCE_DIR}
            -DDEMO_DIR=${CMAKE_BINARY_DIR}/grade-demo -DOUTPUT_DIR=${BOOK_OUTPUT_DIR}
            -DGENERATOR=${CMAKE_GENERATOR} -DCXX=${CMAKE_CXX_COMPILER} -DSOLUTIONS=${demo_solutions}
            -P ${CMAKE_SOURCE_DIR}/cmake/GradeDemo.cmake
    DEPENDS grade ${BOOK_EXERCISE_SOURCES} ${demo_files} ${CMAKE_SOURCE_DIR}/cmake/GradeDemo.cmake
    COMMENT "Grading the sample submission in docs/grade_demo (build/grade-demo) for the book"
    VERBATIM)
  foreach(f IN LISTS outputs)
    book_add_output(${f})
  endforeach()
endfunction()
