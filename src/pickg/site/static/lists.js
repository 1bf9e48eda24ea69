// The list pages: filter by each facet, sort by a column, download the rows shown as
// CSV, keep the filters in the address (?theme=food&phase=1) so a view can be shared;
// on the comparison page, show the neighbourhoods the address names (?n=a&n=b).
// Without this script, every page shows its whole table. Works from files and served.
(function () {
  "use strict";
  var params = new URLSearchParams(window.location.search);

  function setAddress(search) {
    var url = window.location.pathname + (search ? "?" + search : "") + window.location.hash;
    try { window.history.replaceState(null, "", url); } catch (e) { /* some browsers refuse it on file:// */ }
  }

  function csvCell(text) {
    return /[",\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function lists() {
    var table = document.getElementById("list");
    if (!table) { return; }
    var form = document.getElementById("filters");
    var selects = form ? Array.prototype.slice.call(form.querySelectorAll("select")) : [];
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var shown = document.getElementById("shown");

    function matches(row, except) {
      return selects.every(function (select) {
        if (select === except || !select.value) { return true; }
        var values = (row.getAttribute("data-" + select.name) || "").split(" ");
        return values.indexOf(select.value) >= 0;
      });
    }

    function apply() {
      var visible = 0;
      rows.forEach(function (row) {
        var keep = matches(row, null);
        row.hidden = !keep;
        if (keep) { visible += 1; }
      });
      selects.forEach(function (select) {
        Array.prototype.forEach.call(select.options, function (option) {
          if (!option.value) { return; }
          var n = rows.filter(function (row) {
            return matches(row, select) && (row.getAttribute("data-" + select.name) || "").split(" ").indexOf(option.value) >= 0;
          }).length;
          option.textContent = option.getAttribute("data-label") + " (" + n + ")";
        });
      });
      if (shown) { shown.textContent = shown.getAttribute("data-template").replace("{shown}", String(visible)); }
      var query = new URLSearchParams();
      selects.forEach(function (select) { if (select.value) { query.set(select.name, select.value); } });
      setAddress(query.toString());
    }

    selects.forEach(function (select) {
      var wanted = params.get(select.name);
      if (wanted !== null) { select.value = wanted; }
      select.addEventListener("change", apply);
    });
    if (form) {
      form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
      var clear = document.getElementById("clear");
      if (clear) {
        clear.addEventListener("click", function (event) {
          event.preventDefault();
          selects.forEach(function (select) { select.value = ""; });
          apply();
        });
      }
    }

    Array.prototype.forEach.call(table.querySelectorAll("button.sort"), function (button) {
      button.addEventListener("click", function () {
        var th = button.parentNode;
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) { cell.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var index = th.cellIndex;
        var body = table.tBodies[0];
        rows.slice().sort(function (a, b) {
          var x = a.cells[index].getAttribute("data-sort") || "";
          var y = b.cells[index].getAttribute("data-sort") || "";
          return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
        }).forEach(function (row) { body.appendChild(row); });
      });
    });

    /* The file of the rows shown, named as the site names its CSV files: the list, each
       filter set as facet-value in the form's order, the page's language
       (initiatives.theme-food.en.csv; the whole list is initiatives.en.csv). */
    function viewName() {
      var parts = [table.getAttribute("data-name")];
      selects.forEach(function (select) { if (select.value) { parts.push(select.name + "-" + select.value); } });
      parts.push(document.documentElement.lang);
      return parts.join(".") + ".csv";
    }

    var download = document.getElementById("csv-view");
    if (download) {
      download.hidden = false;
      download.addEventListener("click", function () {
        var heads = Array.prototype.filter.call(table.tHead.rows[0].cells, function (cell) { return cell.querySelector("button.sort"); });
        var lines = [heads.map(function (cell) { return csvCell(cell.textContent.trim()); }).join(",")];
        Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
          if (row.hidden) { return; }
          var cells = Array.prototype.filter.call(row.cells, function (cell) { return cell.hasAttribute("data-csv"); });
          lines.push(cells.map(function (cell) { return csvCell(cell.getAttribute("data-csv")); }).join(","));
        });
        var blob = new Blob([lines.join("\n") + "\n"], { type: "text/csv" });
        var link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = viewName();
        document.body.appendChild(link);
        link.click();
        link.remove();
      });
    }

    var compare = document.getElementById("compare-go");
    if (compare) {
      compare.hidden = false;
      compare.addEventListener("click", function () {
        var picked = Array.prototype.filter.call(table.querySelectorAll("input[name=n]"), function (box) { return box.checked; });
        var query = new URLSearchParams();
        picked.forEach(function (box) { query.append("n", box.value); });
        window.location.href = compare.getAttribute("data-href") + "?" + query.toString();
      });
    }
    apply();
  }

  function comparison() {
    var table = document.getElementById("compare");
    if (!table) { return; }
    var wanted = params.getAll("n");
    var boxes = Array.prototype.slice.call(document.querySelectorAll("#compare-pick input[name=n]"));
    function show() {
      var picked = boxes.filter(function (box) { return box.checked; }).map(function (box) { return box.value; });
      Array.prototype.forEach.call(table.querySelectorAll("[class^='col-']"), function (cell) {
        cell.hidden = picked.length > 0 && picked.indexOf(cell.className.slice(4)) < 0;
      });
      var query = new URLSearchParams();
      picked.forEach(function (value) { query.append("n", value); });
      setAddress(query.toString());
    }
    boxes.forEach(function (box) {
      box.checked = wanted.indexOf(box.value) >= 0;
      box.addEventListener("change", show);
    });
    document.getElementById("compare-pick").addEventListener("submit", function (event) { event.preventDefault(); show(); });
    show();
  }

  lists();
  comparison();
}());
