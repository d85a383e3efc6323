# A test of the grader's manifest (build/grade/manifest.json): configures this project
# in WORK with BOOK_EXERCISES_FROM naming a directory whose name holds a double quote, a
# backslash and a space, then reads the manifest back as JSON and requires the path to
# come out as it went in. String concatenation would write invalid JSON here.
#   cmake -DSOURCE_DIR=... -DWORK=... -P TestManifestPath.cmake
file(REMOVE_RECURSE "${WORK}")
set(from "${WORK}/a \"quoted\" \\ dir")
file(MAKE_DIRECTORY "${from}")
execute_process(COMMAND ${CMAKE_COMMAND} -S "${SOURCE_DIR}" -B "${WORK}/build" -G Ninja -DBOOK_DOCS=OFF
                        "-DBOOK_EXERCISES_FROM=${from}"
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "configuring with BOOK_EXERCISES_FROM=${from} failed:\n${out}${err}")
endif()
file(READ "${WORK}/build/grade/manifest.json" json)
string(JSON got ERROR_VARIABLE problem GET "${json}" exercises_from)
if(problem)
  message(FATAL_ERROR "the manifest is not valid JSON (${problem}):\n${json}")
endif()
if(NOT got STREQUAL from)
  message(FATAL_ERROR "the manifest's exercises_from is\n  ${got}\nnot\n  ${from}")
endif()
string(JSON chapters LENGTH "${json}" chapters)
message(STATUS "manifest.json is valid JSON with ${chapters} chapters, and holds ${got} as it was given")
file(REMOVE_RECURSE "${WORK}")
