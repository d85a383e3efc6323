# cmake -DGRADE=... -DSOURCE_DIR=... -DDEMO_DIR=... -DOUTPUT_DIR=... -DGENERATOR=... -DCXX=...
#       -DSOLUTIONS=ON|OFF -P GradeDemo.cmake
# The grader's demonstration for the book: configures DEMO_DIR to grade the sample
# submission in docs/grade_demo/ (the other chapters from the reference solutions when
# SOLUTIONS is ON), runs the grader on it, and copies its table, JUnit XML and
# results.json to OUTPUT_DIR/grade_demo.* only if the grader ran to the end (exit
# status 0 or 1: every exercise passed, or one did not).
execute_process(
  COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${DEMO_DIR} -G ${GENERATOR} -DCMAKE_CXX_COMPILER=${CXX}
          -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O1 -DNDEBUG"
          -DBOOK_EXERCISE_SOLUTIONS=${SOLUTIONS} -DBOOK_EXERCISES_FROM=${SOURCE_DIR}/docs/grade_demo
  OUTPUT_VARIABLE out
  ERROR_VARIABLE out
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configuring ${DEMO_DIR} failed (${rc}):\n${out}")
endif()
set(txt ${OUTPUT_DIR}/grade_demo.txt)
set(xml ${OUTPUT_DIR}/grade_demo.junit.xml)
set(json ${OUTPUT_DIR}/grade_demo.results.json)
file(MAKE_DIRECTORY ${OUTPUT_DIR})
# Run from the source directory, as a student would, so the paths it prints are short.
execute_process(
  COMMAND ${GRADE} --build-dir ${DEMO_DIR}
  WORKING_DIRECTORY ${SOURCE_DIR}
  OUTPUT_FILE ${txt}.partial
  ERROR_VARIABLE err
  RESULT_VARIABLE rc)
if(NOT (rc EQUAL 0 OR rc EQUAL 1))
  file(REMOVE ${txt}.partial)
  message(FATAL_ERROR "${GRADE} --build-dir ${DEMO_DIR} failed (${rc}): ${err}")
endif()
file(COPY_FILE ${DEMO_DIR}/grade/junit.xml ${xml})
file(COPY_FILE ${DEMO_DIR}/grade/results.json ${json})
file(RENAME ${txt}.partial ${txt})
