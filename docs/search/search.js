// The book's full-text search, in the page. A box at the top of the sidebar; the first
// time it is used it loads lunr and the index (book-search.js, built at build time) by
// adding script elements, which work from file:// where fetch() does not. Chinese
// queries are cut into the index's own words (longest match first), as the index was
// cut by jieba.
(function () {
  'use strict';
  const script = document.currentScript;
  const base = script ? script.src.replace(/search\/search\.js(\?.*)?$/, '') : '';
  let index = null;
  let cjkWords = null;
  let loading = null;
  const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
  const CJK_RUN = /[\u3400-\u9fff\uf900-\ufaff]+/g;

  function load(src) {
    return new Promise(function (resolve, reject) {
      const s = document.createElement('script');
      s.src = base + src;
      s.onload = resolve;
      s.onerror = function () { reject(new Error('cannot load ' + src)); };
      document.head.appendChild(s);
    });
  }

  function ready() {
    if (!loading) {
      loading = load('search/lunr.min.js')
        .then(function () { return load('search/common.js'); })
        .then(function () { return load('search/book-search.js'); })
        .then(function () {
          window.bookSearchInstall(window.lunr);
          index = window.lunr.Index.load(window.BOOK_SEARCH.index);
          cjkWords = new Set(Object.keys(index.invertedIndex).filter(function (t) { return CJK.test(t); }));
        });
    }
    return loading;
  }

  // A run of Chinese characters cut into the longest words the index knows.
  function cutChinese(run) {
    const words = [];
    for (let i = 0; i < run.length;) {
      let n = Math.min(8, run.length - i);
      while (n > 1 && !cjkWords.has(run.substr(i, n))) {
        n -= 1;
      }
      words.push(run.substr(i, n));
      i += n;
    }
    return words.join(' ');
  }

  function terms(query) {
    const cut = query.replace(CJK_RUN, function (run) { return ' ' + cutChinese(run) + ' '; });
    return cut.split(/[\s\-]+/)
      .map(function (t) { return t.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '').toLowerCase(); })
      .filter(function (t) { return t.length > 0; });
  }

  // Every term should match (a document with all of them ranks first); the last one may
  // be the start of a word still being typed.
  function search(query) {
    const list = terms(query);
    if (!list.length) {
      return [];
    }
    return index.query(function (q) {
      list.forEach(function (t, k) {
        q.term(t, { boost: 10 });
        if (k === list.length - 1 && !CJK.test(t)) {
          q.term(t, { wildcard: window.lunr.Query.wildcard.TRAILING, boost: 1 });
        }
      });
    });
  }

  function render(box, results, query) {
    const list = box.querySelector('ol');
    list.textContent = '';
    const docs = window.BOOK_SEARCH.docs;
    const seen = new Set();
    let shown = 0;
    for (const r of results) {
      const d = docs[r.ref];
      if (!d || shown >= 12) {
        continue;
      }
      const key = r.ref;
      if (seen.has(key)) {
        continue;
      }
      seen.add(key);
      shown += 1;
      const li = document.createElement('li');
      li.className = d[3] === 'book' ? 'book-hit' : 'reference-hit';
      const a = document.createElement('a');
      a.href = base + r.ref;
      const page = document.createElement('span');
      page.className = 'search-page';
      page.textContent = d[0];
      a.appendChild(page);
      if (d[1]) {
        const heading = document.createElement('span');
        heading.className = 'search-heading';
        heading.textContent = d[1];
        a.appendChild(heading);
      }
      const excerpt = document.createElement('span');
      excerpt.className = 'search-excerpt';
      excerpt.textContent = d[2].length > 140 ? d[2].slice(0, 140) + '…' : d[2];
      a.appendChild(excerpt);
      li.appendChild(a);
      list.appendChild(li);
    }
    const status = box.querySelector('.search-status');
    status.textContent = shown ? '' : (query.trim() ? 'No page mentions “' + query.trim() + '”.' : '');
    box.classList.toggle('has-results', shown > 0 || !!query.trim());
  }

  function install() {
    const box = document.createElement('div');
    box.id = 'book-search';
    box.setAttribute('role', 'search');
    const label = document.documentElement.lang === 'zh' ? '搜索全书' : 'Search the book';
    box.innerHTML = '<input type="search" autocomplete="off" spellcheck="false">' +
      '<div class="search-status" aria-live="polite"></div><ol class="search-results"></ol>';
    const input = box.querySelector('input');
    input.placeholder = label;
    input.setAttribute('aria-label', label);
    const title = document.getElementById('titlearea');
    if (title && title.parentNode) {
      title.parentNode.insertBefore(box, title.nextSibling);
    } else {
      document.body.insertBefore(box, document.body.firstChild);
    }
    let timer = null;
    const run = function () {
      const query = input.value;
      ready().then(function () { render(box, search(query), query); })
        .catch(function (e) { box.querySelector('.search-status').textContent = e.message; });
    };
    input.addEventListener('focus', function () { ready(); });
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(run, 120);
    });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'Escape') {
        input.value = '';
        run();
      } else if (e.key === 'Enter') {
        const first = box.querySelector('ol a');
        if (first) {
          window.location.href = first.href;
        }
      }
    });
    // For the browser check and for links: search.html?q=... or #search=... fills the box.
    const m = /[?&#]search=([^&#]*)/.exec(window.location.search + window.location.hash);
    if (m) {
      input.value = decodeURIComponent(m[1].replace(/\+/g, ' '));
      run();
    }
  }

  window.bookSearch = function (query) {
    return ready().then(function () {
      return search(query).map(function (r) { return r.ref; });
    });
  };

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', install);
  } else {
    install();
  }
})();
