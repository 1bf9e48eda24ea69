/* The query page of the pickg website: YASGUI (vendored) on the SPARQL endpoint of
   `pickg serve`, at the same address as the page, with the catalogue queries as examples.
   Nothing here reaches outside that address: the autocompleters that ask the LOV service
   are off, the prefixes are the project's (written in the page), the endpoint list is
   ours. Nothing is fetched once the page is loaded, until a query is run. */
(function () {
  "use strict";
  var holder = document.getElementById("sparql");
  var status = document.getElementById("sparql-status");
  var choice = document.getElementById("sparql-example");
  if (window.location.protocol === "file:" || typeof window.Yasgui === "undefined") {
    status.textContent = holder.getAttribute("data-offline");
    choice.disabled = true;
    return;
  }
  var examples = JSON.parse(document.getElementById("sparql-examples").textContent);
  var byName = {};
  examples.forEach(function (e) { byName[e.name] = e; });
  var endpoint = new URL(holder.getAttribute("data-endpoint"), window.location.href).href;
  var prefixes = JSON.parse(document.getElementById("sparql-prefixes").textContent);
  var Yasgui = window.Yasgui;
  // Only the completers that work on the page itself: the "class" and "property" ones ask
  // a remote vocabulary service. Set on the defaults: YASGUI merges arrays by index.
  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];
  Yasgui.defaults.yasqe.autocompleters = ["prefixes", "variables"];
  // PREFIX lines complete from the project's prefixes, not from prefix.cc's list.
  Yasgui.Yasqe.Autocompleters.prefixes.get = function () {
    return Promise.resolve(Object.keys(prefixes).sort().map(function (p) { return p + ": <" + prefixes[p] + ">"; }));
  };
  // Results as plain values (a label, a number), not "…"@fr or "5"^^xsd:integer: the
  // table's "compact" view, for every tab (a tab's own settings start empty).
  Yasgui.Yasr.defaults.plugins.table.dynamicConfig = { compact: true, isEllipsed: false };
  var first = byName[window.location.hash.slice(1)] || examples[0];
  var yasgui = new Yasgui(holder, {
    persistenceId: null,
    populateFromUrl: false,
    autofocus: false,
    tabName: holder.getAttribute("data-tab"),
    requestConfig: { endpoint: endpoint, method: "POST" },
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    yasqe: { value: first.text, persistenceId: null },
    yasr: {
      persistenceId: null,
      prefixes: prefixes,
    },
  });
  choice.value = first.name;
  function show(name) {
    var example = byName[name];
    if (!example) { return; }
    choice.value = name;
    yasgui.getTab().setQuery(example.text);
  }
  choice.addEventListener("change", function () {
    history.replaceState(null, "", "#" + choice.value);
    show(choice.value);
  });
  window.addEventListener("hashchange", function () { show(window.location.hash.slice(1)); });
  // What YASGUI draws without a name or a way in, named in the page's language (axe-core
  // checks it), again whenever it draws (a new tab, a new table).
  function name(selector, key) {
    holder.querySelectorAll(selector).forEach(function (el) {
      if (!el.getAttribute("aria-label")) { el.setAttribute("aria-label", holder.getAttribute(key)); }
    });
  }
  function accessible() {
    name(".controlbar input.autocomplete", "data-endpoint-label");
    name(".yasqe textarea", "data-editor-label");
    name("select.tableSizer", "data-page-size-label");
    name("input.tableFilter", "data-filter-label");
    holder.querySelectorAll(".CodeMirror-scroll[tabindex='-1']").forEach(function (el) {
      el.setAttribute("tabindex", "0");
    });
  }
  // Result IRIs of the project's resources open their page on this site, not at their
  // public address: the base of those IRIs is read from the project's own prefixes
  // (https://…/id/<kind>/ and https://…/vocab/<scheme>/), the site is where the endpoint is.
  var site = endpoint.replace(/query$/, "");
  var bases = {};
  Object.keys(prefixes).forEach(function (p) {
    var found = /^(https?:\/\/.+\/)(id|vocab)\/[^\/#]+\/$/.exec(prefixes[p]);
    if (found) { bases[found[1]] = true; }
  });
  function localLinks() {
    Object.keys(bases).forEach(function (base) {
      holder.querySelectorAll("a[href^='" + base + "id/'], a[href^='" + base + "vocab/']").forEach(function (a) {
        var path = a.getAttribute("href").slice(base.length).split("#")[0];
        a.setAttribute("title", a.getAttribute("href"));
        a.setAttribute("href", site + path.replace(/\/?$/, "/"));
        a.removeAttribute("target");
      });
    });
  }
  function redrawn() { accessible(); localLinks(); }
  redrawn();
  new MutationObserver(redrawn).observe(holder, { childList: true, subtree: true });
  window.PICKG_YASGUI = yasgui;
})();
