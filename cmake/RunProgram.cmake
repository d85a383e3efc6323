# cmake -DPROGRAM=... -DARGS=a;b -DOUTPUT=file -P RunProgram.cmake
# Runs PROGRAM ARGS, and only if it exits 0 moves its standard output into OUTPUT.
get_filename_component(dir "${OUTPUT}" DIRECTORY)
file(MAKE_DIRECTORY "${dir}")
set(tmp "${OUTPUT}.partial")
execute_process(COMMAND "${PROGRAM}" ${ARGS}
                OUTPUT_FILE "${tmp}"
                ERROR_VARIABLE err
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(REMOVE "${tmp}")
  message(FATAL_ERROR "${PROGRAM} ${ARGS} failed (${rc}): ${err}")
endif()
file(RENAME "${tmp}" "${OUTPUT}")
