// Small comforts of the book's pages, after Doxygen and doxygen-awesome have built them:
// - the previous/next links of a chapter at its top as well as its bottom;
// - every figure a link to its full-size SVG (Doxygen embeds SVGs as objects that take no
//   clicks);
// - wide tables in a box of their own that scrolls sideways on a narrow screen, so that
//   the page itself never does;
// - at the top of every page, a link to the same page in the other edition (English
//   X.html, Chinese zh/X_zh.html; a page of the library reference, which only the English
//   edition has, links to the Chinese front page).
(function () {
  'use strict';
  function onReady(f) {
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', f);
    } else {
      f();
    }
  }

  // The paragraph "Previous: ... · Next: ..." that ends every chapter.
  function navAtTop(contents) {
    const navs = [...contents.querySelectorAll('.textblock > p')].filter(function (p) {
      return /^\s*(Previous|Next|上一|下一)/.test(p.textContent) && p.querySelector('a');
    });
    if (!navs.length) {
      return;
    }
    navs[navs.length - 1].classList.add('book-nav');
    const top = navs[navs.length - 1].cloneNode(true);
    top.classList.add('book-nav-top');
    const first = contents.querySelector('.textblock') || contents;
    first.insertBefore(top, first.firstChild);
  }

  function figureLinks(contents) {
    contents.querySelectorAll('div.image object[type="image/svg+xml"]').forEach(function (object) {
      const src = object.getAttribute('data');
      const caption = object.parentNode.querySelector('.caption');
      const link = document.createElement('a');
      link.href = src;
      link.className = 'figure-link';
      link.title = document.documentElement.lang === 'zh' ? '打开原尺寸的图' : 'Open the figure at full size';
      const img = document.createElement('img');
      img.src = src;
      img.alt = caption ? caption.textContent.trim() : src;
      img.className = 'figure';
      link.appendChild(img);
      object.parentNode.replaceChild(link, object);
    });
  }

  function scrollingTables(contents) {
    contents.querySelectorAll('table.markdownTable, table.doxtable').forEach(function (table) {
      if (table.parentNode.classList.contains('table-scroll')) {
        return;
      }
      const box = document.createElement('div');
      box.className = 'table-scroll';
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    });
  }

  function otherEdition(contents) {
    const zh = document.documentElement.lang === 'zh';
    const file = window.location.pathname.split('/').pop() || 'index.html';
    let href;
    if (zh) {
      href = '../' + file.replace(/_zh\.html$/, '.html');
    } else if (/^(ch\d\d_\w+|appendix_\w+|exercises|book)\.html$/.test(file)) {
      href = 'zh/' + file.replace(/\.html$/, '_zh.html');
    } else {
      href = 'zh/index.html';
    }
    const p = document.createElement('p');
    p.className = 'book-edition';
    const link = document.createElement('a');
    link.href = href;
    link.lang = zh ? 'en' : 'zh';
    link.hreflang = link.lang;
    link.textContent = zh ? 'English edition' : '中文版';
    p.appendChild(link);
    contents.insertBefore(p, contents.firstChild);
  }

  onReady(function () {
    const contents = document.querySelector('div.contents');
    if (!contents) {
      return;
    }
    navAtTop(contents);
    otherEdition(contents);
    figureLinks(contents);
    scrollingTables(contents);
  });
})();
