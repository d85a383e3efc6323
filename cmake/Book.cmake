# Helpers that keep the top-level CMakeLists.txt at one call per chapter.
#
# Lists the whole build shares are global properties, appended to as chapters are added
# and read once at the end (add_book_docs, add_book_grader, add_book_figures_test):
#   BOOK_OUTPUTS           files the chapter programs write for the book
#   BOOK_DRAWINGS          the Graphviz drawings among them, as <chapter>.<name>.dot
#   BOOK_PLOTS             the gnuplot scripts of the plots, chapters/<chapter>/<name>.gp
#   BOOK_PAGES             the book's pages, in reading order
#   BOOK_EXERCISES         each chapter's exercises: "chapter|target|student|compiled|tests|hidden|solutions"
#   BOOK_EXERCISE_SOURCES  the exercises' files, which the grader's demonstration depends on

set(BOOK_OUTPUT_DIR ${CMAKE_BINARY_DIR}/outputs)
# book_absolute_path(out path): path as an absolute path, a relative one taken from the
# source directory, every other character kept (get_filename_component would turn a
# backslash in a Linux file name into a slash, naming another directory).
function(book_absolute_path out path)
  if(NOT IS_ABSOLUTE "${path}")
    set(path "${CMAKE_SOURCE_DIR}/${path}")
  endif()
  set(${out} "${path}" PARENT_SCOPE)
endfunction()

# BOOK_EXERCISES_FROM as an absolute path.
set(BOOK_EXERCISES_FROM_DIR "")
if(BOOK_EXERCISES_FROM)
  book_absolute_path(BOOK_EXERCISES_FROM_DIR "${BOOK_EXERCISES_FROM}")
endif()
find_program(DOT_EXECUTABLE dot)
# Debian's python3, which has Debian's python3-jieba and python3-websocket (a Python
# earlier on PATH, such as a pyenv one, may not).
find_program(BOOK_PYTHON python3 PATHS /usr/bin NO_DEFAULT_PATH REQUIRED)
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
  target_compile_definitions(${name} PRIVATE BOOK_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
  # Each test carries its program's name as a label, so that a run can pick programs
  # (ctest -L test_files).
  catch_discover_tests(${name} WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} PROPERTIES LABELS ${name})
endfunction()

# add_book_page(path [TEST test_name]): a Markdown page of the book (path from the
# repository root), and the test of what it states.
function(add_book_page page)
  cmake_parse_arguments(ARG "" "TEST" "" ${ARGN})
  set_property(GLOBAL APPEND PROPERTY BOOK_PAGES ${CMAKE_SOURCE_DIR}/${page})
  if(ARG_TEST)
    add_book_test(${ARG_TEST})
  endif()
endfunction()

# Runs a program with the given arguments into outputs/<file>; the file is written only
# if the program succeeds, so a failed run never leaves a partial file.
function(book_run_program program file)
  set(out ${BOOK_OUTPUT_DIR}/${file})
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:${program}> "-DARGS=${ARGN}"
            -DOUTPUT=${out} -P ${CMAKE_SOURCE_DIR}/cmake/RunProgram.cmake
    DEPENDS ${program} ${CMAKE_SOURCE_DIR}/cmake/RunProgram.cmake
    COMMENT "Running ${program} ${ARGN} > outputs/${file}"
    VERBATIM)
  set_property(GLOBAL APPEND PROPERTY BOOK_OUTPUTS ${out})
endfunction()

# A program of the book: build/bin/<name> from chapters/<chapter>/<name>.cpp.
function(book_program chapter name)
  add_executable(${name} chapters/${chapter}/${name}.cpp)
  target_link_libraries(${name} PRIVATE book_lib)
  target_compile_options(${name} PRIVATE ${BOOK_THIN_FLAGS})
  target_precompile_headers(${name} REUSE_FROM book_lib)
endfunction()

# The figures of one --figures run: every FIGURES entry is written by the program as
# outputs/<chapter>.<entry>, then drawn by its extension: name.dot with Graphviz, name.tsv
# with gnuplot and chapters/<chapter>/name.gp, each into outputs/<chapter>.name.svg.
function(book_figures chapter)
  set(written "")
  foreach(f IN LISTS ARGN)
    list(APPEND written ${BOOK_OUTPUT_DIR}/${chapter}.${f})
  endforeach()
  set(log ${BOOK_OUTPUT_DIR}/${chapter}.figures.log)
  add_custom_command(
    OUTPUT ${written} ${log}
    COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:${chapter}> "-DARGS=--figures;${BOOK_OUTPUT_DIR}"
            -DOUTPUT=${log} -P ${CMAKE_SOURCE_DIR}/cmake/RunProgram.cmake
    DEPENDS ${chapter} ${CMAKE_SOURCE_DIR}/cmake/RunProgram.cmake
    COMMENT "Running ${chapter} --figures outputs/"
    VERBATIM)
  set_property(GLOBAL APPEND PROPERTY BOOK_OUTPUTS ${written})
  foreach(f IN LISTS ARGN)
    get_filename_component(name ${f} NAME_WLE)
    get_filename_component(ext ${f} LAST_EXT)
    set(in ${BOOK_OUTPUT_DIR}/${chapter}.${f})
    set(svg ${BOOK_OUTPUT_DIR}/${chapter}.${name}.svg)
    if(ext STREQUAL ".dot")
      set_property(GLOBAL APPEND PROPERTY BOOK_DRAWINGS ${chapter}.${f})
      add_custom_command(OUTPUT ${svg} COMMAND ${DOT_EXECUTABLE} -Tsvg -o ${svg} ${in} DEPENDS ${in}
                         COMMENT "Drawing outputs/${chapter}.${name}.svg" VERBATIM)
      # The Chinese edition's variant: the labels' words from docs/zh/figure_terms.py.
      set(dot_zh ${BOOK_OUTPUT_DIR}/${chapter}.${name}.zh.dot)
      set(svg_zh ${BOOK_OUTPUT_DIR}/${chapter}.${name}.zh.svg)
      add_custom_command(OUTPUT ${svg_zh} ${dot_zh}
                         COMMAND ${BOOK_PYTHON} ${CMAKE_SOURCE_DIR}/docs/zh/figure_terms.py ${in} ${dot_zh}
                         COMMAND ${DOT_EXECUTABLE} -Tsvg -o ${svg_zh} ${dot_zh}
                         DEPENDS ${in} ${CMAKE_SOURCE_DIR}/docs/zh/figure_terms.py
                         COMMENT "Drawing outputs/${chapter}.${name}.zh.svg" VERBATIM)
      set_property(GLOBAL APPEND PROPERTY BOOK_OUTPUTS ${svg_zh})
    elseif(ext STREQUAL ".tsv")
      set(script ${CMAKE_SOURCE_DIR}/chapters/${chapter}/${name}.gp)
      set_property(GLOBAL APPEND PROPERTY BOOK_PLOTS chapters/${chapter}/${name}.gp)
      add_custom_command(OUTPUT ${svg} COMMAND ${GNUPLOT_EXECUTABLE} -c ${script} ${in} ${svg}
                         DEPENDS ${in} ${script} COMMENT "Plotting outputs/${chapter}.${name}.svg" VERBATIM)
      # The Chinese edition's variant, from the same data: the script's words in Chinese.
      set(svg_zh ${BOOK_OUTPUT_DIR}/${chapter}.${name}.zh.svg)
      add_custom_command(OUTPUT ${svg_zh} COMMAND ${GNUPLOT_EXECUTABLE} -c ${script} ${in} ${svg_zh} zh
                         DEPENDS ${in} ${script} COMMENT "Plotting outputs/${chapter}.${name}.zh.svg" VERBATIM)
      set_property(GLOBAL APPEND PROPERTY BOOK_OUTPUTS ${svg_zh})
    else()
      message(FATAL_ERROR "${chapter}: figure ${f} is neither .dot (Graphviz) nor .tsv (gnuplot)")
    endif()
    set_property(GLOBAL APPEND PROPERTY BOOK_OUTPUTS ${svg})
  endforeach()
endfunction()

# add_chapter(chapter [FIGURES name.ext ...] [OUTPUTS "name args..." ...]
#             [PROGRAMS "program args..." ...] [DATA file ...]):
#  - the page chapters/<chapter>/<chapter>.md;
#  - the program build/bin/<chapter> from chapters/<chapter>/<chapter>.cpp, run by the build
#    into outputs/<chapter>.txt and, with --json, outputs/<chapter>.json;
#  - FIGURES: one run with `--figures outputs/`, then each figure drawn by its extension
#    (book_figures);
#  - OUTPUTS: more runs of the program, each "name args..." into outputs/<chapter>.name.txt;
#  - PROGRAMS: more programs of the chapter, each "program args...": build/bin/<program> from
#    chapters/<chapter>/<program>.cpp, run with args into outputs/<program>.txt;
#  - DATA: files the program and its test read, by default, from BOOK_DATA_DIR (data/);
#  - the test tests/test_<chapter>.cpp, which knows the program's path as PROGRAM_PATH;
#  - the exercises, when chapters/<chapter>/exercises/ exists (add_chapter_exercises).
function(add_chapter chapter)
  cmake_parse_arguments(ARG "" "" "FIGURES;OUTPUTS;PROGRAMS;DATA" ${ARGN})
  add_book_page(chapters/${chapter}/${chapter}.md)
  book_program(${chapter} ${chapter})
  book_run_program(${chapter} ${chapter}.txt)
  book_run_program(${chapter} ${chapter}.json --json)
  if(ARG_FIGURES)
    book_figures(${chapter} ${ARG_FIGURES})
  endif()
  foreach(run IN LISTS ARG_OUTPUTS)
    separate_arguments(args UNIX_COMMAND "${run}")
    list(POP_FRONT args name)
    book_run_program(${chapter} ${chapter}.${name}.txt ${args})
  endforeach()
  set(programs ${chapter})
  foreach(run IN LISTS ARG_PROGRAMS)
    separate_arguments(args UNIX_COMMAND "${run}")
    list(POP_FRONT args program)
    book_program(${chapter} ${program})
    book_run_program(${program} ${program}.txt ${args})
    list(APPEND programs ${program})
  endforeach()
  add_book_test(test_${chapter})
  target_compile_definitions(test_${chapter} PRIVATE PROGRAM_PATH="$<TARGET_FILE:${chapter}>")
  add_dependencies(test_${chapter} ${programs})
  if(ARG_DATA)
    foreach(target IN LISTS programs ITEMS test_${chapter})
      target_compile_definitions(${target} PRIVATE BOOK_DATA_DIR="${CMAKE_SOURCE_DIR}/data")
    endforeach()
    foreach(file IN LISTS ARG_DATA)
      if(NOT EXISTS ${CMAKE_SOURCE_DIR}/${file})
        message(FATAL_ERROR "${chapter}: its data ${file} is missing")
      endif()
    endforeach()
  endif()
  if(EXISTS ${CMAKE_SOURCE_DIR}/chapters/${chapter}/exercises)
    add_chapter_exercises(${chapter} "${ARG_DATA}")
  endif()
endfunction()

# add_book_figures_test(): tests/test_figures.cpp, which runs every program that draws
# with --figures and checks each of its drawings (BOOK_DRAWINGS), and checks the plots'
# scripts (BOOK_PLOTS); call it after the last add_chapter.
function(add_book_figures_test)
  get_property(drawings GLOBAL PROPERTY BOOK_DRAWINGS)
  get_property(plots GLOBAL PROPERTY BOOK_PLOTS)
  set(programs "")
  foreach(drawing IN LISTS drawings)
    string(REGEX REPLACE "\\..*$" "" program ${drawing})
    list(APPEND programs ${program})
  endforeach()
  list(REMOVE_DUPLICATES programs)
  list(JOIN drawings "," drawings_text)
  list(JOIN plots "," plots_text)
  add_book_test(test_figures)
  target_compile_definitions(test_figures PRIVATE BOOK_BIN_DIR="${CMAKE_BINARY_DIR}/bin"
                             BOOK_DRAWINGS="${drawings_text}" BOOK_PLOTS="${plots_text}"
                             BOOK_PYTHON="${BOOK_PYTHON}")
  add_dependencies(test_figures ${programs})
endfunction()

# add_book_docs(): the site build/docs/html, after every output above, in two editions:
# English (html/) and Chinese (html/zh/, from the .zh.md twin of every page). Doxygen
# runs with warnings as errors; MathJax is copied from Debian's package so the site works
# offline; each edition gets its full-text search and its PDF (build/book.pdf,
# build/book.zh.pdf). Before the Chinese edition is built, docs/zh/check_zh.py checks it
# against the English one (code, outputs, figures, equations, sections, exercises) and
# its glossary: a difference fails the build. With BOOK_DOCS OFF only the test that the
# docs build catches mistakes is added.
function(add_book_docs)
  find_package(Doxygen 1.9 REQUIRED dot)
  get_property(BOOK_PAGES_LIST GLOBAL PROPERTY BOOK_PAGES)
  get_property(outputs GLOBAL PROPERTY BOOK_OUTPUTS)
  set(BOOK_DOCS_DIR ${CMAKE_BINARY_DIR}/docs)
  get_filename_component(BOOK_DOT_DIR ${DOXYGEN_DOT_EXECUTABLE} DIRECTORY)
  list(JOIN BOOK_PAGES_LIST " " BOOK_PAGES)
  set(zh_pages ${CMAKE_SOURCE_DIR}/book.zh.md)
  foreach(page IN LISTS BOOK_PAGES_LIST)
    string(REGEX REPLACE "\\.md$" ".zh.md" twin ${page})
    list(APPEND zh_pages ${twin})
  endforeach()
  list(JOIN zh_pages " " BOOK_PAGES_ZH)
  configure_file(${CMAKE_SOURCE_DIR}/docs/Doxyfile.in ${BOOK_DOCS_DIR}/Doxyfile @ONLY)
  configure_file(${CMAKE_SOURCE_DIR}/docs/Doxyfile.zh.in ${BOOK_DOCS_DIR}/Doxyfile.zh @ONLY)
  foreach(BOOK_LANG en zh)
    set(suffix "")
    if(BOOK_LANG STREQUAL "zh")
      set(suffix ".zh")
    endif()
    configure_file(${CMAKE_SOURCE_DIR}/docs/header.html.in ${BOOK_DOCS_DIR}/header${suffix}.html @ONLY)
  endforeach()
  set(headers "")
  foreach(lib backprop book_util book_lib)
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
  # The two editions agree, and the Chinese one follows its glossary; and the check fails
  # on an equation edited in one edition only.
  add_test(NAME "The Chinese edition has the English one's code, outputs, figures, equations and sections"
           COMMAND ${BOOK_PYTHON} ${CMAKE_SOURCE_DIR}/docs/zh/check_zh.py ${CMAKE_SOURCE_DIR})
  add_test(NAME "The editions' check fails on an equation edited in one edition only"
           COMMAND ${BOOK_PYTHON} ${CMAKE_SOURCE_DIR}/docs/zh/test_check_zh.py ${CMAKE_SOURCE_DIR}
                   ${CMAKE_BINARY_DIR}/zh-checks)
  if(NOT BOOK_DOCS)
    return()
  endif()
  find_program(NODE_EXECUTABLE NAMES node nodejs REQUIRED)
  find_file(LUNR_JS lunr.min.js PATHS /usr/share/javascript/lunr NO_DEFAULT_PATH REQUIRED)
  find_program(CHROMIUM_EXECUTABLE chromium REQUIRED)
  find_program(QPDF_EXECUTABLE qpdf REQUIRED)
  set(search_sources ${CMAKE_SOURCE_DIR}/docs/search/extract.py ${CMAKE_SOURCE_DIR}/docs/search/index.js
                     ${CMAKE_SOURCE_DIR}/docs/search/common.js ${CMAKE_SOURCE_DIR}/docs/search/search.js)
  set(site_sources ${CMAKE_SOURCE_DIR}/docs/Doxyfile.in ${CMAKE_SOURCE_DIR}/docs/DoxygenLayout.xml
                   ${CMAKE_SOURCE_DIR}/docs/book.css ${CMAKE_SOURCE_DIR}/docs/book-pages.js
                   ${CMAKE_SOURCE_DIR}/docs/header.html.in ${CMAKE_SOURCE_DIR}/docs/mathjax-config.js)
  # English: the pages and the library reference.
  set(stamp ${BOOK_DOCS_DIR}/html/index.html)
  add_custom_command(
    OUTPUT ${stamp} ${BOOK_DOCS_DIR}/book.tag
    COMMAND ${CMAKE_COMMAND} -E rm -rf ${BOOK_DOCS_DIR}/html
    COMMAND Doxygen::doxygen ${BOOK_DOCS_DIR}/Doxyfile
    COMMAND ${CMAKE_COMMAND} -DMATHJAX_DIR=/usr/share/javascript/mathjax -DDEST=${BOOK_DOCS_DIR}/html/mathjax
            -P ${CMAKE_SOURCE_DIR}/cmake/CopyMathJax.cmake
    COMMAND ${CMAKE_COMMAND} -DSITE=${BOOK_DOCS_DIR}/html -DWORK=${BOOK_DOCS_DIR}/search-en -DSOURCE_DIR=${CMAKE_SOURCE_DIR}
            -DPYTHON=${BOOK_PYTHON} -DNODE=${NODE_EXECUTABLE} -DLUNR=${LUNR_JS}
            -P ${CMAKE_SOURCE_DIR}/cmake/BuildSearch.cmake
    DEPENDS ${outputs} ${BOOK_PAGES_LIST} ${headers} ${CMAKE_SOURCE_DIR}/book.md ${CMAKE_SOURCE_DIR}/docs/mainpage.md
            ${site_sources} ${search_sources} ${CMAKE_SOURCE_DIR}/cmake/CopyMathJax.cmake
            ${CMAKE_SOURCE_DIR}/cmake/BuildSearch.cmake
    WORKING_DIRECTORY ${BOOK_DOCS_DIR}
    COMMENT "Building the book with Doxygen (warnings are errors)"
    VERBATIM)
  # Chinese: its pages, checked against the English ones first, linked into the English
  # edition's reference by its tag file.
  set(stamp_zh ${BOOK_DOCS_DIR}/html/zh/index.html)
  add_custom_command(
    OUTPUT ${stamp_zh}
    COMMAND ${BOOK_PYTHON} ${CMAKE_SOURCE_DIR}/docs/zh/check_zh.py ${CMAKE_SOURCE_DIR}
    COMMAND ${CMAKE_COMMAND} -E rm -rf ${BOOK_DOCS_DIR}/html/zh
    COMMAND Doxygen::doxygen ${BOOK_DOCS_DIR}/Doxyfile.zh
    COMMAND ${CMAKE_COMMAND} -DSITE=${BOOK_DOCS_DIR}/html/zh -DWORK=${BOOK_DOCS_DIR}/search-zh
            -DSOURCE_DIR=${CMAKE_SOURCE_DIR} -DPYTHON=${BOOK_PYTHON} -DNODE=${NODE_EXECUTABLE} -DLUNR=${LUNR_JS}
            -P ${CMAKE_SOURCE_DIR}/cmake/BuildSearch.cmake
    DEPENDS ${stamp} ${zh_pages} ${CMAKE_SOURCE_DIR}/docs/mainpage.zh.md ${CMAKE_SOURCE_DIR}/docs/Doxyfile.zh.in
            ${CMAKE_SOURCE_DIR}/docs/zh/DoxygenLayout.zh.xml ${CMAKE_SOURCE_DIR}/docs/zh/check_zh.py
            ${CMAKE_SOURCE_DIR}/docs/zh/join_lines.py
            ${search_sources} ${CMAKE_SOURCE_DIR}/cmake/BuildSearch.cmake
    WORKING_DIRECTORY ${BOOK_DOCS_DIR}
    COMMENT "Building the Chinese edition with Doxygen (warnings are errors)"
    VERBATIM)
  add_custom_target(docs DEPENDS ${stamp} ${stamp_zh})

  # The PDF editions: the same pages printed by headless Chromium, read back by a test.
  set(pdfs "")
  foreach(lang en zh)
    if(lang STREQUAL "en")
      set(pdf ${CMAKE_BINARY_DIR}/book.pdf)
      set(site ${BOOK_DOCS_DIR}/html)
      set(book_md ${CMAKE_SOURCE_DIR}/book.md)
      set(site_stamp ${stamp})
      set(edition "")
    else()
      set(pdf ${CMAKE_BINARY_DIR}/book.zh.pdf)
      set(site ${BOOK_DOCS_DIR}/html/zh)
      set(book_md ${CMAKE_SOURCE_DIR}/book.zh.md)
      set(site_stamp ${stamp_zh})
      set(edition " (Chinese)")
    endif()
    add_custom_command(
      OUTPUT ${pdf}
      COMMAND ${BOOK_PYTHON} ${CMAKE_SOURCE_DIR}/docs/pdf/print_book.py ${site} ${book_md} ${pdf} --lang=${lang}
      DEPENDS ${site_stamp} ${CMAKE_SOURCE_DIR}/docs/pdf/print_book.py ${CMAKE_SOURCE_DIR}/docs/pdf/print.css
              ${CMAKE_SOURCE_DIR}/docs/check_site.py
      COMMENT "Printing the PDF edition${edition} (${pdf}) with headless Chromium"
      VERBATIM)
    list(APPEND pdfs ${pdf})
    add_test(NAME "The PDF edition${edition} has every page of the book in order, typeset math and no raw TeX"
             COMMAND ${BOOK_PYTHON} ${CMAKE_SOURCE_DIR}/docs/pdf/check_pdf.py ${pdf} ${book_md})
  endforeach()
  add_custom_target(pdf DEPENDS ${pdfs})
  # ... and the check fails on a PDF with pages missing (the cover and 20 pages only).
  add_test(NAME "The PDF check fails on a PDF with pages of the book missing"
           COMMAND sh -c "qpdf \"$1\" --pages \"$1\" 1-20 -- \"$2\" && ${BOOK_PYTHON} \"$3\" \"$2\" \"$4\""
                   check ${CMAKE_BINARY_DIR}/book.pdf ${CMAKE_BINARY_DIR}/docs/short.pdf
                   ${CMAKE_SOURCE_DIR}/docs/pdf/check_pdf.py ${CMAKE_SOURCE_DIR}/book.md)
  set_tests_properties("The PDF check fails on a PDF with pages of the book missing" PROPERTIES WILL_FAIL TRUE)
endfunction()

# add_chapter_exercises(chapter data): the chapter's programming exercises, in
# chapters/<chapter>/exercises/:
#  - chNN_exercises.hpp   the declarations (the contract the tests and solutions share);
#  - chNN_exercises.cpp   the file the student edits: a task, a hint, the library functions
#                         it may call ("Library:") and a stub per exercise;
#  - chNN_grading.cpp     the tests, one TEST_CASE("Exercise N.K: title") per exercise;
#  - solutions/chNN_exercises.cpp  the reference solutions.
# Which file is compiled for the exercises: <BOOK_EXERCISES_FROM>/chNN_exercises.cpp if
# that directory has it (a submission kept outside the tree), else the solution when
# BOOK_EXERCISE_SOLUTIONS is ON, else the student's file. A teacher's hidden tests,
# <BOOK_HIDDEN_TESTS>/chNN_hidden.cpp, are compiled into the test program when they exist.
# The target exercises_<chapter> (the test program) and exercises_<chapter>_inspect (the
# same file compiled alone, without inlining and with a section per function, which the
# grader reads to see what each exercise calls) are not part of `all`: the grader builds
# each chapter's on its own, so one chapter that does not compile does not stop the rest.
function(add_chapter_exercises chapter data)
  set(BOOK_HIDDEN_TESTS "" CACHE STRING "A directory of the teacher's hidden tests, chNN_hidden.cpp, outside the handout")
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
  set(hidden "")
  if(BOOK_HIDDEN_TESTS)
    book_absolute_path(hidden_dir "${BOOK_HIDDEN_TESTS}")
    if(EXISTS ${hidden_dir}/${short}_hidden.cpp)
      set(hidden ${hidden_dir}/${short}_hidden.cpp)
    endif()
  endif()
  set(target exercises_${chapter})
  add_executable(${target} EXCLUDE_FROM_ALL ${dir}/${short}_grading.cpp ${hidden} ${compiled})
  target_include_directories(${target} PRIVATE ${dir})
  target_link_libraries(${target} PRIVATE exercise_main book_checks)
  target_precompile_headers(${target} REUSE_FROM book_checks)
  # The student's file, compiled alone for the grader to read: every function in a section
  # of its own and none inlined, so that each call, to a helper or to the library (an inline
  # function of its headers too), is a relocation in the caller's section.
  add_library(${target}_inspect OBJECT EXCLUDE_FROM_ALL ${compiled})
  target_include_directories(${target}_inspect PRIVATE ${dir})
  target_link_libraries(${target}_inspect PRIVATE backprop)
  target_compile_options(${target}_inspect PRIVATE -O0 -fno-inline -ffunction-sections -fdata-sections
                         -Wno-unused-parameter)
  if(data)
    target_compile_definitions(${target} PRIVATE BOOK_DATA_DIR="${CMAKE_SOURCE_DIR}/data")
  endif()
  # A stub does not use its parameters yet.
  set_source_files_properties(${compiled} PROPERTIES COMPILE_OPTIONS -Wno-unused-parameter)
  set_target_properties(${target} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/exercises)
  set_property(GLOBAL APPEND PROPERTY BOOK_EXERCISES
               "${chapter}|${target}|${student}|${compiled}|${dir}/${short}_grading.cpp|${hidden}|${dir}/solutions")
  set_property(GLOBAL APPEND PROPERTY BOOK_EXERCISE_SOURCES
               ${dir}/${short}_exercises.hpp ${student} ${dir}/${short}_grading.cpp)
  if(EXISTS ${solution})
    set_property(GLOBAL APPEND PROPERTY BOOK_EXERCISE_SOURCES ${solution})
  endif()
endfunction()

# book_exercise_manifest(out): the grader's manifest as JSON text, written with
# string(JSON), so any path (a quote, a backslash) is escaped. Besides each chapter's
# files and targets it records how this build was configured (generator, compiler, type,
# BOOK_EXERCISES_FROM, BOOK_HIDDEN_TESTS), so that the grader can configure a class build
# like it.
function(book_exercise_manifest out)
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
  set(hidden_dir "")
  if(BOOK_HIDDEN_TESTS)
    book_absolute_path(hidden_dir "${BOOK_HIDDEN_TESTS}")
  endif()
  set(json "{}")
  set(keys description build_dir source_dir cmake generator cxx build_type objdump exercises_from hidden_tests)
  set(values "${description}" "${CMAKE_BINARY_DIR}" "${CMAKE_SOURCE_DIR}" "${CMAKE_COMMAND}" "${CMAKE_GENERATOR}"
             "${CMAKE_CXX_COMPILER}" "${CMAKE_BUILD_TYPE}" "${CMAKE_OBJDUMP}" "${BOOK_EXERCISES_FROM_DIR}"
             "${hidden_dir}")
  foreach(key value IN ZIP_LISTS keys values)
    book_json_string(value_json "${value}")
    string(JSON json SET "${json}" ${key} "${value_json}")
  endforeach()
  string(JSON json SET "${json}" chapters "[]")
  get_property(exercises GLOBAL PROPERTY BOOK_EXERCISES)
  set(index 0)
  foreach(entry IN LISTS exercises)
    string(REPLACE "|" ";" fields "${entry}")
    list(GET fields 0 chapter)
    list(GET fields 1 target)
    list(GET fields 2 student)
    list(GET fields 3 compiled)
    list(GET fields 4 tests)
    list(GET fields 5 hidden)
    list(GET fields 6 solutions)
    set(object "{}")
    set(keys chapter target program student compiled tests hidden_tests object_target object solutions)
    set(values "${chapter}" "${target}" "$<TARGET_FILE:${target}>" "${student}" "${compiled}" "${tests}" "${hidden}"
               "${target}_inspect" "$<TARGET_OBJECTS:${target}_inspect>" "${solutions}")
    foreach(key value IN ZIP_LISTS keys values)
      book_json_string(value_json "${value}")
      string(JSON object SET "${object}" ${key} "${value_json}")
    endforeach()
    string(JSON json SET "${json}" chapters ${index} "${object}")
    math(EXPR index "${index} + 1")
  endforeach()
  set(${out} "${json}" PARENT_SCOPE)
endfunction()

# book_json_string(out text): text as a JSON string literal, quotes and backslashes and
# control characters escaped.
function(book_json_string out text)
  string(REPLACE "\\" "\\\\" text "${text}")
  string(REPLACE "\"" "\\\"" text "${text}")
  string(REPLACE "\n" "\\n" text "${text}")
  string(REPLACE "\t" "\\t" text "${text}")
  string(REPLACE "\r" "\\r" text "${text}")
  set(${out} "\"${text}\"" PARENT_SCOPE)
endfunction()

# add_book_grader(): build/bin/grade, build/grade/manifest.json (which lists every
# chapter's exercises for it), and the grader's demonstration for the book
# (outputs/grade_demo.*, see cmake/GradeDemo.cmake): a real run on the sample class in
# docs/grade_demo/ in a class build of its own (build/grade-demo), with the teacher's
# hidden tests in tests/grade_class/hidden/. The demonstration is left out with
# BOOK_DOCS OFF.
function(add_book_grader)
  book_exercise_manifest(manifest)
  file(GENERATE OUTPUT ${CMAKE_BINARY_DIR}/grade/manifest.json CONTENT "${manifest}\n")
  target_sources(grader PRIVATE src/grader/grading.cpp src/grader/inspect.cpp src/grader/process.cpp)
  add_executable(grade src/grader/grade.cpp)
  target_link_libraries(grade PRIVATE grader)
  target_compile_options(grade PRIVATE ${BOOK_THIN_FLAGS})
  target_compile_definitions(grade PRIVATE BOOK_BUILD_DIR="${CMAKE_BINARY_DIR}")

  if(NOT BOOK_DOCS)
    return()
  endif()
  get_property(exercise_sources GLOBAL PROPERTY BOOK_EXERCISE_SOURCES)
  set(demo_files docs/grade_demo/ana/ch01_exercises.cpp docs/grade_demo/ana/ch03_exercises.cpp
                 docs/grade_demo/ben/chapters/ch05_output_delta/exercises/ch05_exercises.cpp
                 docs/grade_demo/cy/notes.txt tests/grade_class/hidden/ch01_hidden.cpp)
  list(TRANSFORM demo_files PREPEND ${CMAKE_SOURCE_DIR}/)
  set(outputs "")
  foreach(name class.txt scores.csv txt junit.xml results.json ben.txt hint.txt policy.txt)
    list(APPEND outputs ${BOOK_OUTPUT_DIR}/grade_demo.${name})
  endforeach()
  # The two files the page shows as they are, folded at 80 columns for it.
  set(folded ${BOOK_OUTPUT_DIR}/grade_demo.junit.folded.xml ${BOOK_OUTPUT_DIR}/grade_demo.results.folded.json
             ${BOOK_OUTPUT_DIR}/grade_demo.scores.turned.txt)
  add_custom_command(
    OUTPUT ${outputs} ${folded}
    COMMAND ${CMAKE_COMMAND} -DGRADE=$<TARGET_FILE:grade> -DSOURCE_DIR=${CMAKE_SOURCE_DIR}
            -DBUILD_DIR=${CMAKE_BINARY_DIR} -DDEMO_DIR=${CMAKE_BINARY_DIR}/grade-demo -DOUTPUT_DIR=${BOOK_OUTPUT_DIR}
            -P ${CMAKE_SOURCE_DIR}/cmake/GradeDemo.cmake
    COMMAND ${BOOK_PYTHON} ${CMAKE_SOURCE_DIR}/docs/fold.py ${BOOK_OUTPUT_DIR}/grade_demo.junit.xml
            ${BOOK_OUTPUT_DIR}/grade_demo.junit.folded.xml
    COMMAND ${BOOK_PYTHON} ${CMAKE_SOURCE_DIR}/docs/fold.py ${BOOK_OUTPUT_DIR}/grade_demo.results.json
            ${BOOK_OUTPUT_DIR}/grade_demo.results.folded.json
    COMMAND ${BOOK_PYTHON} ${CMAKE_SOURCE_DIR}/docs/fold.py --transpose ${BOOK_OUTPUT_DIR}/grade_demo.scores.csv
            ${BOOK_OUTPUT_DIR}/grade_demo.scores.turned.txt
    DEPENDS grade ${exercise_sources} ${demo_files} ${CMAKE_SOURCE_DIR}/cmake/GradeDemo.cmake
            ${CMAKE_SOURCE_DIR}/docs/fold.py
    COMMENT "Grading the sample class in docs/grade_demo (build/grade-demo) for the book"
    VERBATIM)
  set_property(GLOBAL APPEND PROPERTY BOOK_OUTPUTS ${outputs} ${folded})
endfunction()
