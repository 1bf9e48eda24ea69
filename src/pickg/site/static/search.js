/* Search of the pickg website: MiniSearch (vendor/minisearch/, loaded before this script)
   over the page language's index (search-index.<lang>.js, see pickg/site/search.py), in
   the browser, with no server: both are scripts, not fetched files, so the page works from
   the files. Accent- and case-insensitive ("Cote des neiges" finds "Côte-des-Neiges");
   records matching every word come first, then those matching some; a match in the name
   counts most, then other names, the kind, the records it is tied to, the text.
   The query is kept in the address (?q=), so a search can be shared. Every text of the
   index is written into the page as text (textContent), never as HTML. */
(function () {
  "use strict";
  var MARKS = /[\u0300-\u036f]/g;
  function fold(text) {
    return text.normalize("NFD").replace(MARKS, "").toLowerCase();
  }
  /* The folded text and, for each of its characters, where it comes from in the text. */
  function folded(text) {
    var out = "", from = [];
    for (var i = 0; i < text.length; i++) {
      var f = fold(text[i]);
      for (var j = 0; j < f.length; j++) { out += f[j]; from.push(i); }
    }
    from.push(text.length);
    return { text: out, from: from };
  }
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  /* The index: a row per entry, its fields named once (pickg/site/search.py), each page
     written without the end every page shares. */
  var data = window.PICKG_SEARCH || { fields: [], rows: [], page: "" };
  var entries = data.rows.map(function (row) {
    var e = {};
    data.fields.forEach(function (field, i) { e[field] = row[i]; });
    return e;
  });
  var index = new window.MiniSearch({
    fields: ["t", "n", "k", "s", "r", "x", "h"],
    processTerm: function (term) { var f = fold(term); return f.length > 1 || /\d/.test(f) ? f : null; },
    searchOptions: {
      boost: { t: 6, n: 4, k: 3, s: 3, r: 2, x: 1, h: 0.3 },
      prefix: function (term, i, terms) { return i === terms.length - 1 || term.length > 3; },
      fuzzy: function (term) { return term.length > 5 ? 0.15 : false; }
    }
  });
  /* The index is built in slices of a few milliseconds, each its own task, so the page
     answers clicks and keys while it is built (built at once, it held a slow phone's page
     for half a second). A search asked meanwhile waits for the whole index. */
  var SLICE_MS = 5;
  var ready = new Promise(function (resolve) {
    var next = 0, channel = new MessageChannel();
    channel.port1.onmessage = function () {
      var until = performance.now() + SLICE_MS;
      while (next < entries.length && performance.now() < until) {
        var e = entries[next];
        index.add({ id: next, t: e.t, n: e.n, k: e.k, s: e.s, r: e.r, x: e.x, h: e.h });
        next += 1;
      }
      if (next < entries.length) channel.port2.postMessage(null); else resolve();
    };
    channel.port2.postMessage(null);
  });
  /* Records that match every word first; among them a record named exactly as asked. */
  function search(query) {
    var asked = fold(query).replace(/[^a-z0-9]+/g, " ").trim();
    var all = index.search(query, { combineWith: "AND" });
    all.forEach(function (hit) {
      if (fold(entries[hit.id].t).replace(/[^a-z0-9]+/g, " ").trim() === asked) hit.score *= 4;
    });
    all.sort(function (a, b) { return b.score - a.score; });
    /* A record named exactly as asked is followed by the records tied to it (a
       neighbourhood by its initiatives). */
    if (all.length && fold(entries[all[0].id].t).replace(/[^a-z0-9]+/g, " ").trim() === asked) {
      var named = entries[all[0].id].t;
      var tied = all.slice(1).filter(function (hit) { return entries[hit.id].r.split(" · ").indexOf(named) >= 0; });
      all = [all[0]].concat(tied, all.slice(1).filter(function (hit) { return tied.indexOf(hit) < 0; }));
    }
    var seen = {};
    all.forEach(function (hit) { seen[hit.id] = true; });
    return all.concat(index.search(query, { combineWith: "OR" }).filter(function (hit) { return !seen[hit.id]; }));
  }
  /* The part of the first text where a matched word occurs, with every matched word in <mark>. */
  function snippet(entry, terms) {
    var texts = [entry.x, entry.n, entry.r].filter(Boolean);
    var words = terms.map(fold).filter(function (w) { return w.length > 1; });
    for (var k = 0; k < texts.length; k++) {
      var f = folded(texts[k]), first = -1;
      words.forEach(function (w) { var at = f.text.indexOf(w); if (at >= 0 && (first < 0 || at < first)) first = at; });
      if (first < 0) continue;
      var start = Math.max(0, f.from[first] - 70), end = Math.min(texts[k].length, f.from[first] + 150);
      var part = texts[k].slice(start, end), p = folded(part), out = document.createElement("p");
      out.className = "snippet";
      var marks = [];
      words.forEach(function (w) {
        var at = p.text.indexOf(w);
        while (at >= 0) { marks.push([p.from[at], p.from[at + w.length]]); at = p.text.indexOf(w, at + w.length); }
      });
      marks.sort(function (a, b) { return a[0] - b[0]; });
      var pos = 0;
      if (start > 0) out.appendChild(document.createTextNode("… "));
      marks.forEach(function (m) {
        if (m[0] < pos) return;
        out.appendChild(document.createTextNode(part.slice(pos, m[0])));
        var mark = document.createElement("mark");
        mark.textContent = part.slice(m[0], m[1]);
        out.appendChild(mark);
        pos = m[1];
      });
      out.appendChild(document.createTextNode(part.slice(pos) + (end < texts[k].length ? " …" : "")));
      return out;
    }
    return null;
  }
  function keep(query) {
    try {
      var url = new URL(window.location.href);
      if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
      window.history.replaceState(null, "", url.toString());
    } catch (e) { /* a page opened from a file may refuse it: the search still works */ }
  }
  function show(query) {
    list.textContent = "";
    keep(query.trim());
    if (!query.trim()) { status.textContent = ""; return; }
    var found = search(query), terms = query.split(/[\s\-–—'’,;:.]+/).filter(Boolean);
    status.textContent = status.getAttribute("data-" + (found.length ? "found" : "none")).replace("{n}", found.length);
    found.slice(0, 50).forEach(function (hit) {
      var e = entries[hit.id], li = document.createElement("li"), head = document.createElement("p");
      var a = document.createElement("a");
      a.href = list.getAttribute("data-root") + e.u + data.page;
      a.textContent = e.t;
      head.appendChild(a);
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = " — " + e.k;
      head.appendChild(kind);
      if (e.c) {
        var badge = document.createElement("span");
        badge.className = "conf conf-" + e.c.toLowerCase();
        badge.title = list.getAttribute("data-confidence");
        badge.textContent = e.c;
        head.appendChild(document.createTextNode(" "));
        head.appendChild(badge);
      }
      li.appendChild(head);
      var text = snippet(e, terms);
      if (text) li.appendChild(text);
      list.appendChild(li);
    });
  }
  var timer = null;
  function showWhenReady(query) { ready.then(function () { show(query); }); }
  form.addEventListener("submit", function (event) { event.preventDefault(); showWhenReady(input.value); });
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { showWhenReady(input.value); }, 120);
  });
  var start = new URLSearchParams(window.location.search).get("q");
  if (start) { input.value = start; showWhenReady(start); }
})();
