// Says why the page cannot start, instead of leaving "Loading…" on screen.
// A classic script, loaded first and without CORS, so it runs where the
// page's module cannot: in an iframe with sandbox="allow-scripts" alone the
// document's origin is opaque ('null'), every module script, stylesheet and
// WASM fetch is a CORS request, and a host that sends no
// Access-Control-Allow-Origin header makes them all fail. main.js reads
// `llmSpacetimeLoadAdvice` when the WASM module itself fails to load.
(function () {
  'use strict';
  var sandboxed = self.origin === 'null';
  var advice = sandboxed
    ? 'This page is in a sandboxed iframe without allow-same-origin, so the browser loads its scripts and ' +
      'WebAssembly module with CORS from origin \u2018null\u2019, and the server they come from does not allow that. ' +
      'Fix either side: the page that embeds it adds allow-same-origin to the iframe\u2019s sandbox attribute ' +
      '(sandbox="allow-scripts allow-same-origin"), or the host that serves llm-spacetime sends the header ' +
      'Access-Control-Allow-Origin: * (GitHub Pages does).'
    : 'Check the network connection and that every file of the built site (assets/) is on the server, then reload.';
  window.llmSpacetimeLoadAdvice = advice;
  var shown = null;

  function show(text) {
    if (!document.body) {
      document.addEventListener('DOMContentLoaded', function () { show(text); });
      return;
    }
    if (!shown) {
      shown = document.createElement('p');
      shown.id = 'load-problem';
      shown.setAttribute('role', 'alert');
      var loading = document.querySelector('.loading');
      if (loading) loading.replaceWith(shown); else document.body.prepend(shown);
    }
    shown.textContent = text;
  }

  // Resource errors do not bubble: listen in the capture phase.
  window.addEventListener('error', function (event) {
    var element = event.target;
    if (!element || element === window || document.body && document.body.dataset.ready === 'true') return;
    var url = element.src || element.href;
    if (element.localName !== 'script' && element.localName !== 'link') return;
    show('The page could not load ' + url + '. ' + advice);
  }, true);

  // If nothing failed outright but the page is still not up after 4 s in a
  // sandbox, say what is likely wrong (a slow network is the other reason).
  if (sandboxed) {
    setTimeout(function () {
      if (shown || document.body && document.body.dataset.ready === 'true') return;
      show('Still loading after 4 s. If this stays: ' + advice);
      var soft = shown;
      // It was only slow: take the note away once the page is up.
      new MutationObserver(function (records, observer) {
        if (document.body.dataset.ready !== 'true') return;
        if (shown === soft) soft.remove();
        observer.disconnect();
      }).observe(document.body, { attributes: true, attributeFilter: ['data-ready'] });
    }, 4000);
  }
})();
