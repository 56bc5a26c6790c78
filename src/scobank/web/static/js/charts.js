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
  /* A chart is drawn at the width it is shown (down to `least`), so its 11 px labels stay 11 px on a
   * phone instead of being scaled down with the whole drawing; wider screens scale it up. */
  function widthOf(canvas, ideal, least) {
    var shown = canvas.clientWidth || ideal;
    return Math.max(least, Math.min(ideal, Math.floor(shown)));
  }
  /* A label cut (with "…") to the room it has, measured as drawn: Cyrillic and Chinese letters are wider
   * than a count of characters assumes. The whole text stays in the label's tooltip. */
  function fitted(node, str, room) {
    str = String(str);
    node.textContent = str;
    if (!node.getComputedTextLength) return node;
    var keep = str.length;
    while (keep > 3 && node.getComputedTextLength() > room) {
      keep = Math.max(3, Math.floor(keep * Math.min(0.95, room / node.getComputedTextLength())));
      node.textContent = str.slice(0, keep - 1) + "…";
    }
    return node;
  }
  function truncate(str, n) { str = String(str); return str.length > n ? str.slice(0, n - 1) + "…" : str; }

  function bar(canvas, data) {
    var items = data.items || [];
    var w = widthOf(canvas, 640, 300), row = 24, left = Math.round(Math.min(210, w * 0.45)), right = w < 500 ? 58 : 80;
    var h = Math.max(40, items.length * row + 10);
    var svg = svgRoot(canvas, w, h);
    var max = Math.max.apply(null, items.map(function (d) { return Math.abs(d.value); }).concat([1e-12]));
    items.forEach(function (d, i) {
      var y = 5 + i * row, bw = (w - left - right) * Math.abs(d.value) / max;
      titled(fitted(text(svg, left - 6, y + row / 2 + 4, "", { "text-anchor": "end" }), d.label, left - 10), d.label);
      titled(el("rect", { x: left, y: y + 3, width: Math.max(1, bw), height: row - 7, fill: d.color || PALETTE[0], rx: 2 }, svg),
        d.label + ": " + (d.display || fmt(d.value, data)));
      text(svg, left + bw + 4, y + row / 2 + 4, d.display || fmt(d.value, data));
    });
  }

  function line(canvas, data) {
    var series = data.series || [];
    var w = widthOf(canvas, 640, 300), h = 280, m = { l: w < 500 ? 58 : 78, r: 16, t: 12, b: 28 };
    var svg = svgRoot(canvas, w, h);
    var xs = [], ys = [0];
    series.forEach(function (s) { s.points.forEach(function (p) { xs.push(p[0]); ys.push(p[1]); }); });
    if (!xs.length) return;
    var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs);
    var y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);  // an index (ECI) can be negative
    if (y1 === y0) y1 = y0 + 1;
    var sx = function (x) { return m.l + (x1 === x0 ? 0.5 : (x - x0) / (x1 - x0)) * (w - m.l - m.r); };
    var sy = function (y) { return h - m.b - ((y - y0) / (y1 - y0)) * (h - m.t - m.b); };
    var axis = el("g", { "class": "axis" }, svg);
    for (var k = 0; k <= 4; k++) {
      var yv = y0 + (y1 - y0) * k / 4;
      el("line", { x1: m.l, x2: w - m.r, y1: sy(yv), y2: sy(yv), "stroke-dasharray": yv === 0 ? "" : "2 3" }, axis);
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
    var w = widthOf(canvas, 640, 300), h = Math.round(w * 0.5625), svg = svgRoot(canvas, w, h), cells = [];
    var groups = [];
    items.forEach(function (d) { if (groups.indexOf(d.group) < 0) groups.push(d.group); });
    squarify(items, 0, 0, w, h, cells);
    cells.forEach(function (c) {
      var color = PALETTE[groups.indexOf(c.d.group) % PALETTE.length];
      var g = el("g", {}, svg);
      titled(el("rect", { x: c.x, y: c.y, width: Math.max(0, c.w - 1), height: Math.max(0, c.h - 1), fill: color, opacity: 0.88 }, g),
        c.d.label + ": " + (c.d.display || fmt(c.d.value, data)));
      if (c.w > 46 && c.h > 18) {
        fitted(text(g, c.x + 4, c.y + 14, "", { fill: "#fff", style: "fill:#fff" }), c.d.label, c.w - 8);
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

  /* Product-space network. Nodes that carry x and y (the Atlas layout) keep their places; the others
   * are laid out by force (Fruchterman-Reingold with a pull to the centre, so nothing is pushed to the
   * edges), starting beside their placed neighbours. The result is scaled to fit the view box. */
  function bounds(points) {
    var xs = points.map(function (d) { return d.x; }), ys = points.map(function (d) { return d.y; });
    var x0 = Math.min.apply(null, xs), y0 = Math.min.apply(null, ys);
    return { x: x0, y: y0, w: Math.max.apply(null, xs) - x0 || 1, h: Math.max.apply(null, ys) - y0 || 1 };
  }

  function relax(nodes, links, movable, k, iterations) {
    var n = nodes.length, t = k * 2;
    var cx = nodes.reduce(function (a, d) { return a + d.x; }, 0) / n;
    var cy = nodes.reduce(function (a, d) { return a + d.y; }, 0) / n;
    for (var it = 0; it < iterations; it++) {
      var dx = new Float64Array(n), dy = new Float64Array(n);
      for (var i = 0; i < n; i++) for (var j = i + 1; j < n; j++) {
        var ex = nodes[i].x - nodes[j].x, ey = nodes[i].y - nodes[j].y, d2 = ex * ex + ey * ey + 1e-6, f = k * k / d2;
        dx[i] += ex * f; dy[i] += ey * f; dx[j] -= ex * f; dy[j] -= ey * f;
      }
      links.forEach(function (e) {
        var ex = nodes[e[0]].x - nodes[e[1]].x, ey = nodes[e[0]].y - nodes[e[1]].y, f = Math.sqrt(ex * ex + ey * ey) / k;
        dx[e[0]] -= ex * f; dy[e[0]] -= ey * f; dx[e[1]] += ex * f; dy[e[1]] += ey * f;
      });
      for (var q = 0; q < n; q++) {
        if (!movable[q]) continue;
        dx[q] -= (nodes[q].x - cx) * 0.08; dy[q] -= (nodes[q].y - cy) * 0.08;  /* gravity */
        var len = Math.sqrt(dx[q] * dx[q] + dy[q] * dy[q]) + 1e-9, s = Math.min(len, t) / len;
        nodes[q].x += dx[q] * s; nodes[q].y += dy[q] * s;
      }
      t = Math.max(k * 0.02, t * 0.97);
    }
  }

  function layout(nodes, edges) {
    var n = nodes.length, idx = {}, links = [], movable = [];
    nodes.forEach(function (d, i) { idx[d.id] = i; movable.push(!(typeof d.x === "number" && typeof d.y === "number")); });
    edges.forEach(function (e) { var a = idx[e[0]], b = idx[e[1]]; if (a !== undefined && b !== undefined) links.push([a, b]); });
    var placed = nodes.filter(function (d, i) { return !movable[i]; });
    var box = placed.length ? bounds(placed) : { x: 0, y: 0, w: 100, h: 100 };
    var k = Math.sqrt(box.w * box.h / Math.max(1, n));
    var seen = {};
    nodes.forEach(function (d, i) {
      if (!movable[i]) {  /* several products at one Atlas place (HS subheadings of one heading): a small ring */
        var key = d.x + "," + d.y, m = seen[key] = (seen[key] || 0) + 1;
        if (m > 1) { d.x += Math.cos(m * 2.4) * k * 0.25 * Math.sqrt(m); d.y += Math.sin(m * 2.4) * k * 0.25 * Math.sqrt(m); }
        return;
      }
      var near = links.filter(function (e) { return e[0] === i || e[1] === i; })
        .map(function (e) { return nodes[e[0] === i ? e[1] : e[0]]; })
        .filter(function (o) { return !movable[idx[o.id]]; });
      var a = i * 2.39996, r = k * (0.5 + (i % 5) / 5);
      var ox = near.length ? near.reduce(function (s, o) { return s + o.x; }, 0) / near.length : box.x + box.w / 2 + Math.cos(a) * box.w / 3;
      var oy = near.length ? near.reduce(function (s, o) { return s + o.y; }, 0) / near.length : box.y + box.h / 2 + Math.sin(a) * box.h / 3;
      d.x = ox + Math.cos(a) * r; d.y = oy + Math.sin(a) * r;
    });
    if (movable.some(Boolean)) relax(nodes, links, movable, k * (placed.length ? 0.6 : 1), placed.length ? 80 : 300);
    return { idx: idx, box: bounds(nodes) };
  }

  /* The product space is never drawn smaller than its own width: a narrower screen scrolls it sideways,
   * and the reader zooms it with the buttons above it (or pinches, as any page). */
  function zoomable(canvas, svg, w, labels) {
    var shown = canvas.clientWidth || w, scale = shown < w ? 1 : shown / w, bar = document.createElement("div");
    function apply() { svg.style.width = Math.round(w * scale) + "px"; svg.style.maxHeight = "none"; }
    canvas.classList.add("zoomable");
    bar.className = "zoom-controls";
    [["−", labels.zoom_out || "−", 1 / 1.25], ["+", labels.zoom_in || "+", 1.25]].forEach(function (b) {
      var button = document.createElement("button");
      button.type = "button"; button.className = "secondary"; button.textContent = b[0];
      button.setAttribute("aria-label", b[1]); button.title = b[1];
      button.addEventListener("click", function () { scale = Math.min(4, Math.max(0.5, scale * b[2])); apply(); });
      bar.appendChild(button);
    });
    canvas.parentNode.insertBefore(bar, canvas);
    if (shown < w) apply();
  }

  function network(canvas, data) {
    var nodes = data.nodes || [], edges = data.edges || [], labels = data.labels || {};
    if (!nodes.length) return;
    var placedOut = layout(nodes, edges), idx = placedOut.idx, box = placedOut.box;
    var w = 760, h = Math.round(Math.min(0.8, Math.max(0.5, box.h / box.w)) * w), pad = 18;
    var s = Math.min((w - 2 * pad) / box.w, (h - 2 * pad) / box.h);
    var ox = (w - box.w * s) / 2, oy = (h - box.h * s) / 2;
    nodes.forEach(function (d) { d.px = ox + (d.x - box.x) * s; d.py = oy + (d.y - box.y) * s; });
    var svg = svgRoot(canvas, w, h);
    zoomable(canvas, svg, w, labels);
    var ge = el("g", { "class": "edges", stroke: "#ced4da", "stroke-width": 0.8 }, svg);
    var lines = nodes.map(function () { return []; });
    var reach = Math.sqrt(w * w + h * h) * 0.18;  /* links between neighbours on the map read as its fabric */
    edges.forEach(function (e) {
      var a = idx[e[0]], b = idx[e[1]]; if (a === undefined || b === undefined) return;
      var far = Math.hypot(nodes[a].px - nodes[b].px, nodes[a].py - nodes[b].py) > reach;
      var line = el("line", { x1: nodes[a].px, y1: nodes[a].py, x2: nodes[b].px, y2: nodes[b].py,
        "stroke-opacity": far ? 0.18 : 1 }, ge);
      lines[a].push(line); lines[b].push(line);
    });
    var gn = el("g", { "class": "nodes" }, svg);
    var tip = el("g", { "class": "node-tip", visibility: "hidden" }, svg);
    var tipBox = el("rect", { rx: 3, fill: "#212529", opacity: 0.9 }, tip), tipText = text(tip, 0, 0, "", { fill: "#fff", style: "fill:#fff" });
    function describe(d, short) {
      var name = d.name ? " " + (short ? truncate(d.name, 36) : d.name) : "";
      return d.label + name + " · RCA " + (d.rca !== undefined ? d.rca : "") + " · " + (d.highlight ? labels.strong || "★" : labels.near || "");
    }
    function show(d, i, on) {
      lines[i].forEach(function (l) { l.setAttribute("class", on ? "on" : ""); });
      if (!on) { tip.setAttribute("visibility", "hidden"); return; }
      tipText.textContent = describe(d, true);
      var tw = tipText.getComputedTextLength ? tipText.getComputedTextLength() : 200;
      var tx = Math.min(w - tw - 12, Math.max(4, d.px - tw / 2)), ty = d.py > 40 ? d.py - 14 : d.py + 24;
      tipText.setAttribute("x", tx + 4); tipText.setAttribute("y", ty);
      tipBox.setAttribute("x", tx); tipBox.setAttribute("y", ty - 13); tipBox.setAttribute("width", tw + 8); tipBox.setAttribute("height", 18);
      tip.setAttribute("visibility", "visible");
      svg.appendChild(tip);
    }
    var order = nodes.map(function (d, i) { return i; }).sort(function (a, b) { return (nodes[a].highlight ? 1 : 0) - (nodes[b].highlight ? 1 : 0); });
    order.forEach(function (i) {
      var d = nodes[i], r = (d.highlight ? 3.6 : 2.6) + 4 * Math.sqrt(d.size || 0.01);
      var c = el("circle", { cx: d.px, cy: d.py, r: r, fill: d.color || PALETTE[0], "data-product": d.id,
        "class": d.highlight ? "strength" : "near", "fill-opacity": d.highlight ? 1 : 0.32,
        stroke: d.highlight ? "#212529" : "none", "stroke-width": d.highlight ? 1.1 : 0 }, gn);
      titled(c, describe(d));
      if (d.highlight) {
        c.setAttribute("tabindex", "0");
        c.setAttribute("role", "img");
        c.setAttribute("aria-label", describe(d));
        c.addEventListener("focus", function () { show(d, i, true); });
        c.addEventListener("blur", function () { show(d, i, false); });
      }
      c.addEventListener("mouseenter", function () { show(d, i, true); });
      c.addEventListener("mouseleave", function () { show(d, i, false); });
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
