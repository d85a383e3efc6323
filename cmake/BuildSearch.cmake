# cmake -DSITE=... -DWORK=... -DSOURCE_DIR=... -DPYTHON=... -DNODE=... -DLUNR=... -P BuildSearch.cmake
# The full-text search of one edition of the site: its scripts copied into SITE/search/,
# the documents read from its pages (Chinese cut into words with jieba), and the index
# built with lunr at build time into SITE/search/book-search.js.
file(MAKE_DIRECTORY ${SITE}/search ${WORK})
file(COPY ${LUNR} ${SOURCE_DIR}/docs/search/common.js ${SOURCE_DIR}/docs/search/search.js
     DESTINATION ${SITE}/search)
foreach(step "${PYTHON};${SOURCE_DIR}/docs/search/extract.py;${SITE};${WORK}/documents.json"
             "${NODE};${SOURCE_DIR}/docs/search/index.js;/usr/share/javascript/lunr/lunr.js;${WORK}/documents.json;${SITE}/search/book-search.js")
  execute_process(COMMAND ${step} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "building the search of ${SITE} failed (${rc}): ${step}")
  endif()
endforeach()
