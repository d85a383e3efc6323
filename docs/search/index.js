// Builds the book's search index at build time with lunr (Debian's libjs-lunr) from the
// documents extract.py wrote, and writes it as a script that assigns one global, so
// that the site can load it from file:// (where fetch() is refused).
//
// usage: node index.js LUNR_JS DOCS.json OUT.js
'use strict';
const fs = require('fs');
const path = require('path');

if (process.argv.length !== 5) {
  console.error('usage: node index.js LUNR_JS DOCS.json OUT.js');
  process.exit(2);
}
const lunr = require(path.resolve(process.argv[2]));
require(path.join(__dirname, 'common.js'))(lunr);
const docs = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));

const index = lunr(function () {
  this.pipeline.reset();
  this.pipeline.add(lunr.bookTrimmer, lunr.stopWordFilter, lunr.stemmer);
  this.searchPipeline.reset();
  this.searchPipeline.add(lunr.stemmer);
  this.ref('id');
  // Titles first: a page's title outweighs a section's heading, which outweighs its text.
  this.field('page_terms', { boost: 8 });
  this.field('heading_terms', { boost: 4 });
  this.field('body_terms');
  // The book's pages before the library reference, where both match as well.
  for (const d of docs) {
    this.add(d, { boost: d.kind === 'book' ? 2 : 1 });
  }
});

const shown = {};
for (const d of docs) {
  shown[d.id] = [d.page, d.heading, d.excerpt, d.kind];
}
const out = 'window.BOOK_SEARCH = ' + JSON.stringify({ index: index.toJSON(), docs: shown }) + ';\n';
fs.writeFileSync(process.argv[4] + '.partial', out);
fs.renameSync(process.argv[4] + '.partial', process.argv[4]);
console.log('search: indexed ' + docs.length + ' documents, ' +
            Object.keys(index.invertedIndex).length + ' terms, ' + out.length + ' bytes');
