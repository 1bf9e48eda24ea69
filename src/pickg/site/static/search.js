/* Search of the pickg website: runs in the browser on search-index.js, with no server.
   Accent- and case-insensitive: "Cote des neiges" finds "Côte-des-Neiges". */
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[’‘ʼ]/g, "'").replace(/[^a-z0-9'$]+/g, " ").trim();
  }
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var lang = document.documentElement.lang;
  var root = form.getAttribute("data-root");
  var entries = (window.PICKG_SEARCH || []).map(function (e) {
    return { entry: e, text: " " + fold(e.x) + " " };
  });
  function show(query) {
    var words = fold(query).split(" ").filter(function (w) { return w.length > 0; });
    list.innerHTML = "";
    if (!words.length) { status.textContent = ""; return; }
    var found = entries.filter(function (item) {
      return words.every(function (w) { return item.text.indexOf(w) >= 0; });
    });
    status.textContent = status.getAttribute("data-" + (found.length ? "found" : "none")).replace("{n}", found.length);
    found.slice(0, 100).forEach(function (item) {
      var e = item.entry, li = document.createElement("li"), a = document.createElement("a");
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
