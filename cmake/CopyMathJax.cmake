# cmake -DMATHJAX_DIR=/usr/share/javascript/mathjax -DDEST=html/mathjax -P CopyMathJax.cmake
# Copies the parts of Debian's MathJax 2 that the site uses (TeX input, SVG output with
# the TeX fonts), so the book's math renders with no network.
file(REMOVE_RECURSE "${DEST}")
file(MAKE_DIRECTORY "${DEST}/jax/input" "${DEST}/jax/output/SVG/fonts" "${DEST}/localization")
file(COPY "${MATHJAX_DIR}/MathJax.js" DESTINATION "${DEST}")
file(COPY "${MATHJAX_DIR}/extensions" DESTINATION "${DEST}")
file(COPY "${MATHJAX_DIR}/jax/element" DESTINATION "${DEST}/jax")
file(COPY "${MATHJAX_DIR}/jax/input/TeX" DESTINATION "${DEST}/jax/input")
file(COPY "${MATHJAX_DIR}/jax/output/SVG/config.js" "${MATHJAX_DIR}/jax/output/SVG/jax.js"
     DESTINATION "${DEST}/jax/output/SVG")
file(COPY "${MATHJAX_DIR}/jax/output/SVG/fonts/TeX" DESTINATION "${DEST}/jax/output/SVG/fonts")
file(COPY "${MATHJAX_DIR}/jax/output/SVG/autoload" DESTINATION "${DEST}/jax/output/SVG")
file(COPY "${MATHJAX_DIR}/localization/en" DESTINATION "${DEST}/localization")
foreach(f MathJax.js jax/input/TeX/jax.js jax/output/SVG/jax.js jax/output/SVG/fonts/TeX/fontdata.js extensions/tex2jax.js)
  if(NOT EXISTS "${DEST}/${f}")
    message(FATAL_ERROR "MathJax part missing after copy: ${f} (is libjs-mathjax installed?)")
  endif()
endforeach()
