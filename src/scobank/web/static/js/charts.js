/* Charts of the portal, drawn as SVG with no library: bar, line, treemap, map (choropleth), network.
 * Markup: <figure class="chart" data-chart="KIND"> with a <div class="chart-canvas"> and a
 * <script type="application/json" class="chart-data"> holding the data; the table beside the chart
 * (in <details class="table-alt">) shows the same numbers for readers who do not see the chart. */
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var PALETTE = ["#0b4f8a", "#d9480f", "#2b8a3e", "#7048e8", "#c2255c", "#0c8599", "#e67700", "#5c940d",
    "#862e9c", "#1864ab", "#a61e4d", "#495057"];
  var lang = document.documentElement.lang || "en";
  var compact = new Intl.NumberFormat(lang, { notation: "compact", maximumFractionDigits: 1 });

  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(node);
    return node;
  }
  function text(parent, x, y, str, attrs) {
    var t = el("text", Object.assign({ x: x, y: y }, attrs || {}), parent);
    t.textContent = str;
    return t;
  }
  function titled(node, str) { var t = el("title", {}, node); t.textContent = str; return node; }
  function fmt(v, data) { return data && data.percent ? (v * 100).toFixed(1) + "%" : compact.format(v); }
  function svgRoot(canvas, w, h) {
    var svg = el("svg", { viewBox: "0 0 " + w + " " + h, preserveAspectRatio: "xMidYMid meet", focusable: "false" });
    canvas.appendChild(svg);
    return svg;
  }
  function truncate(str, n) { str = String(str); return str.length > n ? str.slice(0, n - 1) + "…" : str; }

  function bar(canvas, data) {
    var items = data.items || [];
    var w = 640, row = 24, left = 210, right = 80, h = Math.max(40, items.length * row + 10);
    var svg = svgRoot(canvas, w, h);
    var max = Math.max.apply(null, items.map(function (d) { return Math.abs(d.value); }).concat([1e-12]));
    items.forEach(function (d, i) {
      var y = 5 + i * row, bw = (w - left - right) * Math.abs(d.value) / max;
      text(svg, left - 6, y + row / 2 + 4, truncate(d.label, 34), { "text-anchor": "end" });
      titled(el("rect", { x: left, y: y + 3, width: Math.max(1, bw), height: row - 7, fill: d.color || PALETTE[0], rx: 2 }, svg),
        d.label + ": " + (d.display || fmt(d.value, data)));
      text(svg, left + bw + 4, y + row / 2 + 4, d.display || fmt(d.value, data));
    });
  }

  function line(canvas, data) {
    var series = data.series || [];
    var w = 640, h = 280, m = { l: 78, r: 16, t: 12, b: 28 };
    var svg = svgRoot(canvas, w, h);
    var xs = [], ys = [0];
    series.forEach(function (s) { s.points.forEach(function (p) { xs.push(p[0]); ys.push(p[1]); }); });
    if (!xs.length) return;
    var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs);
    var y1 = Math.max.apply(null, ys) || 1;
    var sx = function (x) { return m.l + (x1 === x0 ? 0.5 : (x - x0) / (x1 - x0)) * (w - m.l - m.r); };
    var sy = function (y) { return h - m.b - (y / y1) * (h - m.t - m.b); };
    var axis = el("g", { "class": "axis" }, svg);
    for (var k = 0; k <= 4; k++) {
      var yv = y1 * k / 4;
      el("line", { x1: m.l, x2: w - m.r, y1: sy(yv), y2: sy(yv), "stroke-dasharray": k ? "2 3" : "" }, axis);
      text(axis, m.l - 6, sy(yv) + 4, fmt(yv, data), { "text-anchor": "end" });
    }
    var step = Math.max(1, Math.ceil((x1 - x0) / 8));
    for (var x = x0; x <= x1; x += step) text(axis, sx(x), h - 8, String(x), { "text-anchor": "middle" });
    series.forEach(function (s, i) {
      var color = s.color || PALETTE[i % PALETTE.length];
      var d = s.points.map(function (p, j) { return (j ? "L" : "M") + sx(p[0]).toFixed(1) + " " + sy(p[1]).toFixed(1); }).join("");
      titled(el("path", { d: d, fill: "none", stroke: color, "stroke-width": 2.2 }, svg), s.name);
      s.points.forEach(function (p) {
        titled(el("circle", { cx: sx(p[0]), cy: sy(p[1]), r: 2.6, fill: color }, svg), s.name + " " + p[0] + ": " + fmt(p[1], data));
      });
    });
    legend(canvas, series.map(function (s, i) { return { label: s.name, color: s.color || PALETTE[i % PALETTE.length] }; }));
  }

  function legend(canvas, entries) {
    if (!entries.length) return;
    var ul = document.createElement("ul");
    ul.className = "chart-legend";
    entries.forEach(function (e) {
      var li = document.createElement("li");
      var sw = document.createElement("span");
      sw.className = "swatch"; sw.style.background = e.color;
      li.appendChild(sw); li.appendChild(document.createTextNode(e.label));
      ul.appendChild(li);
    });
    canvas.appendChild(ul);
  }

  /* Squarified treemap (Bruls, Huizing, van Wijk 2000). */
  function squarify(items, x, y, w, h, out) {
    if (!items.length) return;
    var total = items.reduce(function (a, d) { return a + d.value; }, 0);
    if (total <= 0) return;
    var scale = (w * h) / total, rowItems = [], rest = items.slice();
    function worst(r, side) {
      var s = r.reduce(function (a, d) { return a + d.value * scale; }, 0);
      var mx = Math.max.apply(null, r.map(function (d) { return d.value * scale; }));
      var mn = Math.min.apply(null, r.map(function (d) { return d.value * scale; }));
      return Math.max(side * side * mx / (s * s), (s * s) / (side * side * mn));
    }
    var side = Math.min(w, h);
    while (rest.length) {
      var next = rest[0];
      if (!rowItems.length || worst(rowItems.concat([next]), side) <= worst(rowItems, side)) { rowItems.push(rest.shift()); }
      else break;
    }
    var rowSum = rowItems.reduce(function (a, d) { return a + d.value * scale; }, 0);
    var thick = rowSum / side, offset = 0;
    rowItems.forEach(function (d) {
      var len = d.value * scale / thick;
      if (w >= h) out.push({ d: d, x: x, y: y + offset, w: thick, h: len });
      else out.push({ d: d, x: x + offset, y: y, w: len, h: thick });
      offset += len;
    });
    if (w >= h) squarify(rest, x + thick, y, w - thick, h, out);
    else squarify(rest, x, y + thick, w, h - thick, out);
  }

  function treemap(canvas, data) {
    var items = (data.items || []).filter(function (d) { return d.value > 0; })
      .sort(function (a, b) { return b.value - a.value; });
    var w = 640, h = 360, svg = svgRoot(canvas, w, h), cells = [];
    var groups = [];
    items.forEach(function (d) { if (groups.indexOf(d.group) < 0) groups.push(d.group); });
    squarify(items, 0, 0, w, h, cells);
    cells.forEach(function (c) {
      var color = PALETTE[groups.indexOf(c.d.group) % PALETTE.length];
      var g = el("g", {}, svg);
      titled(el("rect", { x: c.x, y: c.y, width: Math.max(0, c.w - 1), height: Math.max(0, c.h - 1), fill: color, opacity: 0.88 }, g),
        c.d.label + ": " + (c.d.display || fmt(c.d.value, data)));
      if (c.w > 46 && c.h > 18) {
        text(g, c.x + 4, c.y + 14, truncate(c.d.label, Math.floor(c.w / 6.5)), { fill: "#fff", style: "fill:#fff" });
        if (c.h > 32) text(g, c.x + 4, c.y + 28, c.d.display || fmt(c.d.value, data), { style: "fill:#fff" });
      }
    });
    if (groups.length > 1 && groups[0] !== undefined) {
      legend(canvas, groups.map(function (g, i) { return { label: g, color: PALETTE[i % PALETTE.length] }; }));
    }
  }

  var worldPromise = null;
  function world() {
    if (!worldPromise) worldPromise = fetch("/static/geo/world.json").then(function (r) { return r.json(); });
    return worldPromise;
  }

  function map(canvas, data) {
    return world().then(function (geo) {
      var vb = geo.viewBox.split(" ").map(Number);
      var svg = svgRoot(canvas, vb[2], vb[3]);
      svg.setAttribute("viewBox", geo.viewBox);
      var cats = {}; (data.categories || []).forEach(function (c) { cats[c.key] = c; });
      var values = data.values || {}, labels = data.labels || {};
      var shown = el("g", {}, svg);
      Object.keys(geo.countries).forEach(function (iso) {
        var v = values[iso], cat = cats[v];
        var p = el("path", { d: geo.countries[iso], "class": "country", fill: cat ? cat.color : "#e4e8ec" },
          cat ? shown : svg);
        if (cat) {
          p.setAttribute("tabindex", "0");
          p.setAttribute("role", "img");
          p.setAttribute("aria-label", (labels[iso] || iso) + ": " + cat.label);
          titled(p, (labels[iso] || iso) + ": " + cat.label);
          if (data.links && data.links[iso]) {
            p.style.cursor = "pointer";
            var go = function () { window.location.href = data.links[iso]; };
            p.addEventListener("click", go);
            p.addEventListener("keydown", function (e) { if (e.key === "Enter") go(); });
          }
        }
      });
      svg.appendChild(shown);
      var box = shown.getBBox();
      if (box.width > 0) {
        var pad = Math.max(box.width, box.height) * 0.08;
        svg.setAttribute("viewBox", [box.x - pad, box.y - pad, box.width + 2 * pad, box.height + 2 * pad].join(" "));
      }
      legend(canvas, (data.categories || []).map(function (c) { return { label: c.label, color: c.color }; }));
    });
  }

  /* Force-directed layout (Fruchterman-Reingold, fixed iterations) unless nodes carry x and y. */
  function layout(nodes, edges, w, h) {
    var n = nodes.length, idx = {};
    nodes.forEach(function (d, i) {
      idx[d.id] = i;
      if (d.x === undefined) { var a = 2 * Math.PI * i / n; d.x = w / 2 + Math.cos(a) * w / 3 * (0.5 + (i % 7) / 14); d.y = h / 2 + Math.sin(a) * h / 3 * (0.5 + (i % 5) / 10); d.free = true; }
    });
    if (!nodes.some(function (d) { return d.free; })) return idx;
    var k = Math.sqrt((w * h) / Math.max(1, n)) * 0.7, t = w / 10;
    for (var it = 0; it < 220; it++) {
      var dx = new Float64Array(n), dy = new Float64Array(n);
      for (var i = 0; i < n; i++) for (var j = i + 1; j < n; j++) {
        var ex = nodes[i].x - nodes[j].x, ey = nodes[i].y - nodes[j].y, d2 = ex * ex + ey * ey + 0.01, f = k * k / d2;
        dx[i] += ex * f; dy[i] += ey * f; dx[j] -= ex * f; dy[j] -= ey * f;
      }
      edges.forEach(function (e) {
        var a = idx[e[0]], b = idx[e[1]]; if (a === undefined || b === undefined) return;
        var ex = nodes[a].x - nodes[b].x, ey = nodes[a].y - nodes[b].y, d = Math.sqrt(ex * ex + ey * ey) + 0.01, f = d / k;
        dx[a] -= ex * f; dy[a] -= ey * f; dx[b] += ex * f; dy[b] += ey * f;
      });
      for (var q = 0; q < n; q++) {
        var len = Math.sqrt(dx[q] * dx[q] + dy[q] * dy[q]) + 0.01, s = Math.min(len, t) / len;
        nodes[q].x = Math.min(w - 10, Math.max(10, nodes[q].x + dx[q] * s));
        nodes[q].y = Math.min(h - 10, Math.max(10, nodes[q].y + dy[q] * s));
      }
      t *= 0.985;
    }
    return idx;
  }

  function network(canvas, data) {
    var nodes = data.nodes || [], edges = data.edges || [];
    var w = 720, h = 520, svg = svgRoot(canvas, w, h);
    var idx = layout(nodes, edges, w, h);
    var ge = el("g", { stroke: "#b8c2cc", "stroke-width": 0.7 }, svg);
    edges.forEach(function (e) {
      var a = nodes[idx[e[0]]], b = nodes[idx[e[1]]]; if (!a || !b) return;
      el("line", { x1: a.x, y1: a.y, x2: b.x, y2: b.y }, ge);
    });
    var groups = [];
    nodes.forEach(function (d) { if (groups.indexOf(d.group) < 0) groups.push(d.group); });
    nodes.forEach(function (d) {
      var r = 3 + 5 * Math.sqrt(d.size || 0.1);
      var c = el("circle", { cx: d.x, cy: d.y, r: r, fill: d.highlight ? "#d9480f" : "#9fb3c8",
        stroke: d.highlight ? "#7a2706" : "#fff", "stroke-width": d.highlight ? 1.4 : 0.8 }, svg);
      titled(c, d.label + (d.highlight ? " ★" : ""));
    });
    legend(canvas, (data.legend || []));
  }

  var KINDS = { bar: bar, line: line, treemap: treemap, map: map, network: network };

  function draw(figure) {
    var kind = figure.getAttribute("data-chart");
    var canvas = figure.querySelector(".chart-canvas");
    var source = figure.querySelector("script.chart-data");
    if (!canvas || !source || !KINDS[kind]) return;
    canvas.textContent = "";
    var data = JSON.parse(source.textContent);
    Promise.resolve(KINDS[kind](canvas, data)).then(function () { figure.setAttribute("data-rendered", "true"); });
  }

  window.scoCharts = { draw: draw };
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("figure.chart[data-chart]").forEach(draw);
  });
})();
