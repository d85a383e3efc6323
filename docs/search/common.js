// What the search's index builder (index.js, in Node) and the page (search.js, in the
// browser) must agree on: how text is cut into terms. Chinese text arrives already cut
// into words (extract.py does it with jieba), so a term is anything between blanks,
// trimmed of what is neither a letter nor a digit in any script (lunr's own trimmer
// would strip Chinese characters whole).
(function (root) {
  function install(lunr) {
    if (lunr.bookTrimmer) {
      return;
    }
    const edges = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;
    lunr.bookTrimmer = function (token) {
      return token.update(function (s) { return s.replace(edges, ''); });
    };
    lunr.Pipeline.registerFunction(lunr.bookTrimmer, 'bookTrimmer');
  }
  if (typeof module !== 'undefined' && module.exports) {
    module.exports = install;
  } else {
    root.bookSearchInstall = install;
  }
})(this);
