# Helpers that keep the top-level CMakeLists.txt at one line per chapter and test.

set(BOOK_OUTPUT_DIR ${CMAKE_BINARY_DIR}/outputs)
set(BOOK_OUTPUTS "" CACHE INTERNAL "Files the chapter programs write for the book")

# Precompile the heavy third-party headers once per target.
function(book_precompile target)
  target_precompile_headers(${target} PRIVATE
    <xtensor/xtensor.hpp> <xtensor/xarray.hpp> <xtensor/xbuilder.hpp> <xtensor/xio.hpp>
    <xtensor-blas/xlinalg.hpp>)
endfunction()

# add_book_test(test_name [extra sources...]): tests/<test_name>.cpp, run by ctest.
function(add_book_test name)
  add_executable(${name} tests/${name}.cpp ${ARGN})
  target_link_libraries(${name} PRIVATE test_support)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  target_precompile_headers(${name} REUSE_FROM test_support)
  catch_discover_tests(${name} WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
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
  set(BOOK_OUTPUTS ${BOOK_OUTPUTS} ${out} CACHE INTERNAL "")
endfunction()

# add_chapter(chNN_slug): the program build/bin/chNN_slug from
# chapters/chNN_slug/chNN_slug.cpp, its default text output and --json output in
# build/outputs/, and its test tests/test_chNN_slug.cpp.
function(add_chapter chapter)
  add_executable(${chapter} chapters/${chapter}/${chapter}.cpp)
  target_link_libraries(${chapter} PRIVATE book_lib)
  target_precompile_headers(${chapter} REUSE_FROM book_lib)
  book_run_program(${chapter} ${chapter}.txt)
  book_run_program(${chapter} ${chapter}.json --json)
  add_book_test(test_${chapter})
  target_compile_definitions(test_${chapter} PRIVATE PROGRAM_PATH="$<TARGET_FILE:${chapter}>")
  add_dependencies(test_${chapter} ${chapter})
endfunction()

# add_chapter_output(chNN_slug name args...): one more run of the program, into
# build/outputs/chNN_slug.name.txt, for a page to include.
function(add_chapter_output chapter name)
  book_run_program(${chapter} ${chapter}.${name}.txt ${ARGN})
endfunction()
