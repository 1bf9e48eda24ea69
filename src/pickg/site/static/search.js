/* Search of the pickg website: MiniSearch (vendor/minisearch/, loaded before this script)
   over search-index.js, in the browser, with no server: both are scripts, not fetched files,
   so the page works from the files. Accent- and case-insensitive ("Cote des neiges" finds
   "Côte-des-Neiges"), every word must match, the last one as the start of a word. */
(function () {
  "use strict";
  function fold(term) {
    return term.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var lang = document.documentElement.lang;
  var root = form.getAttribute("data-root");
  var entries = window.PICKG_SEARCH || [];
  var index = new window.MiniSearch({
    fields: ["x"],
    processTerm: fold,
    searchOptions: { combineWith: "AND", prefix: true }
  });
  index.addAll(entries.map(function (e, i) { return { id: i, x: e.x }; }));
  function show(query) {
    list.innerHTML = "";
    if (!query.trim()) { status.textContent = ""; return; }
    var found = index.search(query);
    status.textContent = status.getAttribute("data-" + (found.length ? "found" : "none")).replace("{n}", found.length);
    found.slice(0, 100).forEach(function (hit) {
      var e = entries[hit.id], li = document.createElement("li"), a = document.createElement("a");
      a.href = root + (lang === "en" ? e.ue : e.uf);
      a.textContent = lang === "en" ? e.te : e.tf;
      li.appendChild(a);
      var kind = document.createElement("small");
      kind.textContent = " — " + (lang === "en" ? e.ke : e.kf);
      li.appendChild(kind);
      list.appendChild(li);
    });
  }
  form.addEventListener("submit", function (event) { event.preventDefault(); show(input.value); });
  input.addEventListener("input", function () { show(input.value); });
  var start = new URLSearchParams(window.location.search).get("q");
  if (start) { input.value = start; show(start); }
})();
