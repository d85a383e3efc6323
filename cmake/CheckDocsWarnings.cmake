# cmake -DDOXYFILE=build/docs/Doxyfile -DWORK=dir -DSOURCE_DIR=repo -P CheckDocsWarnings.cmake
# Proves that the docs build fails on the mistakes it promises to catch: Doxygen is run
# with the book's configuration on one small input at a time; the correct input must
# build and every broken one must fail, naming the problem.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

function(run_case name expect_fail input_file pattern)
  set(dir "${WORK}/${name}")
  file(MAKE_DIRECTORY "${dir}")
  file(WRITE "${dir}/Doxyfile"
    "@INCLUDE = ${DOXYFILE}\n"
    "INPUT = ${input_file}\n"
    "USE_MDFILE_AS_MAINPAGE =\n"
    "OUTPUT_DIRECTORY = ${dir}/out\n"
    "WARN_LOGFILE = ${dir}/warnings.log\n"
    "SEARCHENGINE = NO\n"
    "GENERATE_TREEVIEW = NO\n")
  execute_process(COMMAND doxygen "${dir}/Doxyfile" WORKING_DIRECTORY "${dir}"
                  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
  set(log "")
  if(EXISTS "${dir}/warnings.log")
    file(READ "${dir}/warnings.log" log)
  endif()
  if(expect_fail)
    if(rc EQUAL 0)
      message(FATAL_ERROR "${name}: the docs build passed but must fail")
    endif()
    if(NOT log MATCHES "${pattern}")
      message(FATAL_ERROR "${name}: the build failed without naming the problem (${pattern}): ${log}")
    endif()
    message(STATUS "ok: ${name} fails the docs build")
  else()
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "${name}: a correct page failed the docs build: ${log}")
    endif()
    message(STATUS "ok: ${name} builds")
  endif()
endfunction()

set(page "${WORK}/page_ok.md")
file(WRITE "${page}" "# A page {#check_page}\n\n\\snippet src/backprop/matmul.cpp hadamard\n\n\\f[ x^2 \\f]\n")
run_case(correct_page FALSE "${page}" "")

file(WRITE "${WORK}/bad_snippet.md" "# A page {#check_page}\n\n\\snippet src/backprop/matmul.cpp no_such_tag\n")
run_case(missing_snippet_tag TRUE "${WORK}/bad_snippet.md" "no_such_tag")

file(WRITE "${WORK}/bad_output.md" "# A page {#check_page}\n\n\\verbinclude no_such_output.txt\n")
run_case(missing_output_file TRUE "${WORK}/bad_output.md" "no_such_output")

file(WRITE "${WORK}/bad_ref.md" "# A page {#check_page}\n\nSee \\ref no_such_chapter.\n")
run_case(unresolved_ref TRUE "${WORK}/bad_ref.md" "no_such_chapter")

file(WRITE "${WORK}/undocumented.hpp" "/// \\file undocumented.hpp\n/// \\brief A header.\n#pragma once\n/// A namespace.\nnamespace backprop {\ndouble forgotten(double x);\n}\n")
run_case(undocumented_function TRUE "${WORK}/undocumented.hpp" "forgotten")
