/* Small enhancements; every page works without them. Sortable tables: <table class="sortable"> whose
 * header cells hold <button class="sort">; a cell's data-value (if any) is what it sorts by. */
(function () {
  "use strict";
  function key(cell) {
    var v = cell.getAttribute("data-value");
    if (v === null) v = cell.textContent.trim();
    var n = Number(v);
    return v !== "" && !isNaN(n) ? n : v.toLowerCase();
  }
  function sortBy(table, col, th) {
    var dir = th.getAttribute("aria-sort") === "descending" ? "ascending" : "descending";
    table.querySelectorAll("th[aria-sort]").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir);
    var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a.cells[col]), y = key(b.cells[col]);
      var c = x < y ? -1 : x > y ? 1 : 0;
      return dir === "ascending" ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("table.sortable").forEach(function (table) {
      table.querySelectorAll("thead th").forEach(function (th, col) {
        var btn = th.querySelector("button.sort");
        if (btn) btn.addEventListener("click", function () { sortBy(table, col, th); });
      });
    });
  });
})();
