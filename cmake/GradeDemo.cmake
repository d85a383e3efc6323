# cmake -DGRADE=... -DSOURCE_DIR=... -DBUILD_DIR=... -DDEMO_DIR=... -DOUTPUT_DIR=... -P GradeDemo.cmake
# The grader's demonstration for the book, run from the source directory as a teacher
# would: the sample class in docs/grade_demo/ graded in one class build (DEMO_DIR, which
# the grader configures itself) with the teacher's hidden tests in
# tests/grade_class/hidden/ (every failure detailed), then a hint and the library policies. Copies into
# OUTPUT_DIR/grade_demo.* only when every run succeeded:
#   .class.txt, .scores.csv   the class's summary and gradebook
#   .txt, .junit.xml, .results.json   Ana's table and files (a slip, a stub, a compile error)
#   .ben.txt                  Ben's table (a stray 1/m, a refused library call)
#   .hint.txt, .policy.txt    `grade hint 5.2` and `grade policy`
set(results ${DEMO_DIR}/results)
function(run_grade file)
  execute_process(
    COMMAND ${GRADE} --build-dir ${BUILD_DIR} ${ARGN}
    WORKING_DIRECTORY ${SOURCE_DIR}
    OUTPUT_FILE ${file}
    ERROR_VARIABLE err
    RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${GRADE} --build-dir ${BUILD_DIR} ${ARGN} failed (${rc}): ${err}")
  endif()
endfunction()
file(MAKE_DIRECTORY ${OUTPUT_DIR} ${DEMO_DIR})
run_grade(${DEMO_DIR}/class.txt --class-build ${DEMO_DIR} --submissions docs/grade_demo
          --hidden-tests tests/grade_class/hidden --out ${results} --all-failures)
run_grade(${DEMO_DIR}/hint.txt hint 5.2)
run_grade(${DEMO_DIR}/policy.txt policy)
set(from ${DEMO_DIR}/class.txt ${results}/scores.csv ${results}/ana/grade.txt ${results}/ana/junit.xml
         ${results}/ana/results.json ${results}/ben/grade.txt ${DEMO_DIR}/hint.txt ${DEMO_DIR}/policy.txt)
set(to class.txt scores.csv txt junit.xml results.json ben.txt hint.txt policy.txt)
foreach(source name IN ZIP_LISTS from to)
  file(COPY_FILE ${source} ${OUTPUT_DIR}/grade_demo.${name})
endforeach()
