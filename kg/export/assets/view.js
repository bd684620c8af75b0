/* Peacekeeping KG graph view: reads the JSON data block, draws it with vis-network and wires up the
   search box, the type and date filters and the side panel.
   Safety rule: every string that comes from the data reaches the DOM through textContent or
   createTextNode; links are made only from absolute http(s) URLs; innerHTML is never used. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var nodeById = new Map();
  var edgeById = new Map();
  var adjacency = new Map();
  data.nodes.forEach(function (n) { nodeById.set(n.id, n); adjacency.set(n.id, []); });
  data.edges.forEach(function (e) {
    edgeById.set(e.id, e);
    adjacency.get(e.from).push(e.id);
    if (e.to !== e.from) { adjacency.get(e.to).push(e.id); }
  });
  var typeInfo = new Map();
  data.legend.forEach(function (t) { typeInfo.set(t.type, t); });

  // ---- small DOM helpers (text only; kg/export/assets/dom.js) ----
  var el = kgDom.el, clear = kgDom.clear, byId = kgDom.byId, link = kgDom.link;
  function typeLabel(type) { var t = typeInfo.get(type); return t ? t.label : type; }
  function symbol(type) {
    var t = typeInfo.get(type);
    var s = el("span", t ? t.symbol : "\u25cf", "kg-symbol");
    if (t) { s.style.color = t.color; }
    return s;
  }
  function spanText(item) {
    if (item.date) { return item.date; }
    if (item.start && item.end) { return item.start === item.end ? item.start : item.start + " \u2013 " + item.end; }
    if (item.start) { return "since " + item.start; }
    return item.end ? "until " + item.end : "";
  }
  function factList(rows) {
    var dl = el("dl");
    rows.forEach(function (row) {
      if (row[1] === "" || row[1] === undefined || row[1] === null) { return; }
      dl.appendChild(el("dt", row[0]));
      var dd = el("dd");
      if (row[1] instanceof Node) { dd.appendChild(row[1]); } else { dd.textContent = String(row[1]); }
      dl.appendChild(dd);
    });
    return dl;
  }

  // ---- header ----
  document.title = data.title;
  byId("kg-title").textContent = data.title;
  if (data.notice) {
    byId("kg-notice").textContent = data.notice;
    byId("kg-notice").hidden = false;
  }

  // ---- the network ----
  function tooltip(n) {
    var box = el("div");
    box.appendChild(el("strong", n.label));
    box.appendChild(el("div", typeLabel(n.kg.type)));
    var when = spanText(n.kg);
    if (when) { box.appendChild(el("div", when)); }
    return box;
  }
  var visNodes = new vis.DataSet(data.nodes.map(function (n) {
    // no label of vis-network's own: the label layer below draws labels by zoom and importance
    return { id: n.id, shape: n.shape, color: n.color, size: n.size, x: n.x, y: n.y,
             title: tooltip(n), hidden: false };
  }));
  var visEdges = new vis.DataSet(data.edges.map(function (e) {
    return { id: e.id, from: e.from, to: e.to, color: e.color, width: e.width, arrows: e.arrows, hidden: false };
  }));
  var container = byId("kg-network");
  var network = new vis.Network(container, { nodes: visNodes, edges: visEdges }, data.options);
  network.once("afterDrawing", function () {
    window.kgReady = performance.now();
    document.body.setAttribute("data-ready", "true");
  });

  // ---- filters ----
  var hiddenTypes = new Set();
  var only = null;  // the nodes kept by "hide others", "focus" or "path" (null: no such choice)
  var range = { from: "", to: "" };
  var nodeShown = new Map();
  var edgeShown = new Map();
  data.nodes.forEach(function (n) { nodeShown.set(n.id, true); });
  data.edges.forEach(function (e) { edgeShown.set(e.id, true); });

  function le(a, b) { var n = Math.min(a.length, b.length); return a.slice(0, n) <= b.slice(0, n); }
  function overlaps(item) {
    var start = item.date || item.start || "";
    var end = item.date || item.end || "";
    if (!start && !end) { return null; }
    if (range.to && start && !le(start, range.to)) { return false; }
    if (range.from && end && !le(range.from, end)) { return false; }
    return true;
  }

  function applyFilters() {
    var dated = Boolean(range.from || range.to);
    var show = new Map();
    data.nodes.forEach(function (n) {
      show.set(n.id, !hiddenTypes.has(n.kg.type) && !(dated && overlaps(n.kg) === false) &&
                     (only === null || only.has(n.id)));
    });
    function edgeOk(e) { return show.get(e.from) && show.get(e.to) && !(dated && overlaps(e.kg) === false); }
    if (dated) {  // an undated node stays while one of its edges does
      var linked = new Set();
      data.edges.forEach(function (e) { if (edgeOk(e)) { linked.add(e.from); linked.add(e.to); } });
      data.nodes.forEach(function (n) {
        if (show.get(n.id) && overlaps(n.kg) === null && adjacency.get(n.id).length && !linked.has(n.id)) {
          show.set(n.id, false);
        }
      });
    }
    var nodeChanges = [];
    var edgeChanges = [];
    var shownNodes = 0;
    var shownEdges = 0;
    data.nodes.forEach(function (n) {
      var s = show.get(n.id);
      if (s) { shownNodes += 1; }
      if (nodeShown.get(n.id) !== s) { nodeShown.set(n.id, s); nodeChanges.push({ id: n.id, hidden: !s }); }
    });
    data.edges.forEach(function (e) {
      var s = Boolean(edgeOk(e));
      if (s) { shownEdges += 1; }
      if (edgeShown.get(e.id) !== s) { edgeShown.set(e.id, s); edgeChanges.push({ id: e.id, hidden: !s }); }
    });
    if (nodeChanges.length) { visNodes.update(nodeChanges); }
    if (edgeChanges.length) { visEdges.update(edgeChanges); }
    showStatus(shownNodes, shownEdges);
  }

  function showStatus(shownNodes, shownEdges) {
    var total = data.nodes.length;
    var text = shownNodes === total
      ? total.toLocaleString("en") + " nodes, " + data.edges.length.toLocaleString("en") + " edges"
      : "Showing " + shownNodes.toLocaleString("en") + " of " + total.toLocaleString("en") + " nodes, " +
        shownEdges.toLocaleString("en") + " of " + data.edges.length.toLocaleString("en") + " edges";
    byId("kg-status").textContent = text + ". Drag to pan, scroll to zoom, click for details.";
  }

  var legend = byId("kg-legend");
  data.legend.forEach(function (t) {
    var li = el("li");
    var label = el("label");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.setAttribute("data-type", t.type);
    box.addEventListener("change", function () {
      if (box.checked) { hiddenTypes.delete(t.type); } else { hiddenTypes.add(t.type); }
      applyFilters();
    });
    label.appendChild(box);
    label.appendChild(symbol(t.type));
    label.appendChild(el("span", t.label));
    label.appendChild(el("span", t.count.toLocaleString("en"), "kg-count"));
    li.appendChild(label);
    legend.appendChild(li);
  });

  var DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;
  var dateHint = byId("kg-date-result").textContent;
  byId("kg-date-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var from = byId("kg-from").value.trim();
    var to = byId("kg-to").value.trim();
    var result = byId("kg-date-result");
    result.className = "kg-hint";
    if ((from && !DATE.test(from)) || (to && !DATE.test(to))) {
      result.className = "kg-hint kg-error";
      result.textContent = "Write dates as YYYY, YYYY-MM or YYYY-MM-DD.";
      return;
    }
    if (from && to && !le(from, to)) {
      result.className = "kg-hint kg-error";
      result.textContent = "The start date is after the end date.";
      return;
    }
    range.from = from;
    range.to = to;
    result.textContent = from || to ? "Dated nodes and edges outside the range are hidden." : dateHint;
    applyFilters();
  });
  byId("kg-date-clear").addEventListener("click", function () {
    byId("kg-from").value = "";
    byId("kg-to").value = "";
    range.from = "";
    range.to = "";
    byId("kg-date-result").className = "kg-hint";
    byId("kg-date-result").textContent = dateHint;
    applyFilters();
  });

  // ---- search ----
  function norm(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[-\s]+/g, " ").trim();
  }
  var names = [];
  var seen = new Set();
  var datalist = byId("kg-names");
  data.nodes.forEach(function (n) {
    n.kg.search.forEach(function (name) {
      names.push([norm(name), n.id]);
      if (!seen.has(name) && seen.size < 5000) {
        seen.add(name);
        var opt = el("option");
        opt.value = name;
        datalist.appendChild(opt);
      }
    });
  });
  function find(query) {
    var q = norm(query);
    if (!q) { return null; }
    var tests = [
      function (name) { return name === q; },
      function (name) { return name.indexOf(q) === 0; },
      function (name) { return name.indexOf(q) >= 0; }
    ];
    for (var i = 0; i < tests.length; i += 1) {
      for (var j = 0; j < names.length; j += 1) {
        if (tests[i](names[j][0])) { return names[j][1]; }
      }
    }
    return null;
  }
  function select(id) {
    network.selectNodes([id]);
    network.focus(id, { scale: 1.3, animation: false });
    showNode(id);
  }
  byId("kg-search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var query = byId("kg-search").value;
    var result = byId("kg-search-result");
    var id = find(query);
    if (id === null) {
      result.textContent = "Nothing matches \u201c" + query + "\u201d.";
      return;
    }
    var n = nodeById.get(id);
    if (!nodeShown.get(id)) {
      result.textContent = n.label + " is hidden by a filter; tick its type or clear the dates.";
      showNode(id);
      return;
    }
    result.textContent = "Found " + n.label + " (" + typeLabel(n.kg.type) + ").";
    select(id);
  });

  // ---- side panel ----
  var details = byId("kg-details");
  function nodeButton(id) {
    var n = nodeById.get(id);
    var b = el("button", n.label, "kg-link");
    b.type = "button";
    b.addEventListener("click", function () { if (nodeShown.get(id)) { select(id); } else { showNode(id); } });
    return b;
  }

  function showNode(id) {
    var n = nodeById.get(id);
    clear(details);
    details.removeAttribute("data-edge");
    details.setAttribute("data-node", String(id));
    details.appendChild(el("h3", n.label));
    var kind = el("p", null, "kg-type");
    kind.appendChild(symbol(n.kg.type));
    kind.appendChild(document.createTextNode(" " + typeLabel(n.kg.type)));
    details.appendChild(kind);
    var st = n.kg.statement;
    if (st) {
      if (st.quote) { details.appendChild(el("blockquote", "\u201c" + st.quote + "\u201d", "kg-quote")); }
      if (st.sentence) {
        details.appendChild(el("h4", "Sentence"));
        var p = el("p", null, "kg-sentence");
        if (st.prefix) { p.appendChild(document.createTextNode("\u2026" + st.prefix)); }
        p.appendChild(el("mark", st.sentence));
        if (st.suffix) { p.appendChild(document.createTextNode(st.suffix + "\u2026")); }
        details.appendChild(p);
      }
      var source = st.source_link ? link(st.source_title || st.source_url, st.source_link)
        : (st.source_title || st.source_url ? el("span", st.source_title || st.source_url) : "");
      details.appendChild(factList([["Date", st.date || "unknown"], ["Speaker", st.speaker], ["Verb", st.verb],
        ["Source", source]]));
    }
    var shown = ["Date", "Speaker", "Speech verb"];
    var facts = n.kg.facts.filter(function (f) { return !(st && shown.indexOf(f[0]) >= 0); });
    n.kg.links.forEach(function (l) { facts.push(["Source", link(l[0], l[1])]); });
    if (facts.length) { details.appendChild(factList(facts)); }
    var ids = adjacency.get(id);
    details.appendChild(actions(id));
    details.appendChild(el("h4", "Connections (" + ids.length.toLocaleString("en") + ")"));
    var ul = el("ul");
    ids.slice(0, 200).forEach(function (eid) {
      var e = edgeById.get(eid);
      var other = e.from === id ? e.to : e.from;
      var li = el("li");
      li.appendChild(el("span", e.kg.relation + ": "));
      li.appendChild(nodeButton(other));
      li.appendChild(el("div", e.kg.why, "kg-why"));
      ul.appendChild(li);
    });
    if (ids.length > 200) { ul.appendChild(el("li", "\u2026 and " + (ids.length - 200) + " more")); }
    details.appendChild(ul);
  }

  function showEdge(eid) {
    var e = edgeById.get(eid);
    clear(details);
    details.removeAttribute("data-node");
    details.setAttribute("data-edge", String(eid));
    details.appendChild(el("h3", e.kg.relation));
    details.appendChild(el("p", e.kg.why, "kg-why-main"));
    details.appendChild(factList([["From", nodeButton(e.from)], ["To", nodeButton(e.to)], ["Role", e.kg.role || ""],
      ["When", spanText(e.kg)]]));
  }

  network.on("click", function (params) {
    if (params.nodes.length && network.isCluster(params.nodes[0])) { openGroup(params.nodes[0]); return; }
    if (params.nodes.length) { showNode(params.nodes[0]); }
    else if (params.edges.length) { showEdge(params.edges[0]); }
  });

  // ---- labels by zoom and importance ----
  // Labels are drawn on the canvas after each frame, most important node first (selected nodes and their
  // neighbours, then by size); a label that would overlap one already placed is left out, so that what is
  // written can be read at every zoom. Text goes through fillText: never markup.
  var LABEL_PX = 12;
  var importance = new Map();
  data.nodes.forEach(function (n) { importance.set(n.id, n.size + (n.kg.type === "mission" ? 6 : 0)); });
  var labelWidth = new Map();
  var placedLabels = [];
  var groupLabels = new Map();
  function labelOf(id) {
    if (groupLabels.has(id)) { return groupLabels.get(id); }
    var n = nodeById.get(id);
    return n ? n.label : "";
  }
  network.on("afterDrawing", function (ctx) {
    var scale = network.getScale();
    var font = LABEL_PX + "px system-ui, -apple-system, sans-serif";
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);  // draw in screen pixels: labels keep their size at every zoom
    var ratio = window.devicePixelRatio || 1;
    ctx.scale(ratio, ratio);
    ctx.font = font;
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    var width = container.clientWidth;
    var height = container.clientHeight;
    var selected = new Set(network.getSelectedNodes());
    var near = new Set();
    selected.forEach(function (id) {
      (adjacency.get(id) || []).forEach(function (eid) { var e = edgeById.get(eid); near.add(e.from); near.add(e.to); });
    });
    var view = network.body.view;
    var ids = network.body.nodeIndices.slice();
    function rank(id) {
      return (selected.has(id) ? 1e6 : 0) + (near.has(id) ? 1e5 : 0) + (importance.get(id) || 40);
    }
    ids.sort(function (a, b) { return rank(b) - rank(a) || (a < b ? -1 : a > b ? 1 : 0); });
    var cell = 120;
    var grid = new Map();
    var boxes = [];
    function collides(box) {
      for (var gx = Math.floor(box.x1 / cell); gx <= Math.floor(box.x2 / cell); gx += 1) {
        for (var gy = Math.floor(box.y1 / cell); gy <= Math.floor(box.y2 / cell); gy += 1) {
          var list = grid.get(gx + "," + gy) || [];
          for (var i = 0; i < list.length; i += 1) {
            var o = list[i];
            if (box.x1 < o.x2 && o.x1 < box.x2 && box.y1 < o.y2 && o.y1 < box.y2) { return true; }
          }
        }
      }
      return false;
    }
    function place(box) {
      for (var gx = Math.floor(box.x1 / cell); gx <= Math.floor(box.x2 / cell); gx += 1) {
        for (var gy = Math.floor(box.y1 / cell); gy <= Math.floor(box.y2 / cell); gy += 1) {
          var key = gx + "," + gy;
          if (!grid.has(key)) { grid.set(key, []); }
          grid.get(key).push(box);
        }
      }
      boxes.push(box);
    }
    ids.forEach(function (id) {
      var body = network.body.nodes[id];
      var text = labelOf(id);
      if (!body || !text || (body.options && body.options.hidden)) { return; }
      // canvasToDOM, inlined: it runs for every node on every frame
      var p = { x: body.x * view.scale + view.translation.x, y: body.y * view.scale + view.translation.y };
      var radius = (body.options.size || 10) * scale;
      if (p.x < -200 || p.y < -50 || p.x > width + 200 || p.y > height + 50) { return; }
      if (!labelWidth.has(text)) { labelWidth.set(text, ctx.measureText(text).width); }
      var w = labelWidth.get(text);
      var top = p.y + radius + 2;
      var box = { id: id, x1: p.x - w / 2 - 2, x2: p.x + w / 2 + 2, y1: top, y2: top + LABEL_PX + 3 };
      if (box.x1 < 0 || box.x2 > width || box.y2 > height) { return; }
      if (collides(box)) { return; }
      place(box);
      ctx.lineWidth = 3;
      ctx.strokeStyle = "rgba(255,255,255,0.9)";
      ctx.strokeText(text, p.x, top + 1);
      ctx.fillStyle = selected.has(id) ? "#000" : "#1d2430";
      ctx.fillText(text, p.x, top + 1);
    });
    ctx.restore();
    placedLabels = boxes;
  });

  // ---- hide others, expand, focus, path ----
  function neighbours(id) {
    var out = new Set([id]);
    (adjacency.get(id) || []).forEach(function (eid) { var e = edgeById.get(eid); out.add(e.from); out.add(e.to); });
    return out;
  }
  function keep(ids, fit) {
    only = ids === null ? null : new Set(ids);
    applyFilters();
    var shownIds = data.nodes.filter(function (n) { return nodeShown.get(n.id); }).map(function (n) { return n.id; });
    byId("kg-reset").hidden = only === null;
    if (fit && shownIds.length) { network.fit({ nodes: shownIds, animation: false }); }
  }
  function path(from, to) {  // the shortest path over every edge, whatever the filters show
    var previous = new Map([[from, null]]);
    var queue = [from];
    while (queue.length) {
      var id = queue.shift();
      if (id === to) { break; }
      neighbours(id).forEach(function (other) {
        if (!previous.has(other)) { previous.set(other, id); queue.push(other); }
      });
    }
    if (!previous.has(to)) { return null; }
    var out = [];
    for (var at = to; at !== null; at = previous.get(at)) { out.unshift(at); }
    return out;
  }
  function actions(id) {
    var box = el("div", null, "kg-actions");
    function button(text, action, name) {
      var b = el("button", text);
      b.type = "button";
      b.setAttribute("data-action", name);
      b.addEventListener("click", action);
      box.appendChild(b);
    }
    button("Hide others", function () { keep(neighbours(id), true); network.selectNodes([id]); }, "hide-others");
    button("Expand neighbours", function () {
      var ids = new Set(only === null ? [] : only);
      neighbours(id).forEach(function (other) { ids.add(other); });
      keep(only === null ? null : ids, false);
    }, "expand");
    button("Focus", function () {
      var ids = new Set();
      neighbours(id).forEach(function (other) { neighbours(other).forEach(function (x) { ids.add(x); }); });
      keep(ids, true);
      network.selectNodes([id]);
    }, "focus");
    var form = el("form", null, "kg-row kg-path");
    var input = el("input");
    input.setAttribute("list", "kg-names");
    input.placeholder = "path to\u2026 (a name)";
    input.setAttribute("aria-label", "path to");
    var go = el("button", "Path");
    go.type = "submit";
    form.appendChild(input);
    form.appendChild(go);
    var result = el("p", null, "kg-hint kg-path-result");
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var target = find(input.value);
      if (target === null) { result.textContent = "Nothing matches \u201c" + input.value + "\u201d."; return; }
      var found = path(id, target);
      if (!found) { result.textContent = "No path links " + nodeById.get(id).label + " and " + nodeById.get(target).label + "."; return; }
      keep(found, true);
      network.selectNodes(found);
      result.textContent = found.length - 1 + (found.length === 2 ? " step: " : " steps: ") +
        found.map(function (x) { return nodeById.get(x).label; }).join(" \u2192 ");
    });
    box.appendChild(form);
    box.appendChild(result);
    return box;
  }
  byId("kg-reset").addEventListener("click", function () { keep(null, true); });

  // ---- size by a metric ----
  function metric(name, n) {
    if (name === "statements") {
      return adjacency.get(n.id).filter(function (eid) {
        var e = edgeById.get(eid);
        var other = e.from === n.id ? e.to : e.from;
        return nodeById.get(other).kg.type === "statement";
      }).length;
    }
    if (name === "personnel") { return n.kg.personnel || 0; }
    return adjacency.get(n.id).length;
  }
  function sizeBy(name) {
    var values = new Map();
    var peak = 1;
    data.nodes.forEach(function (n) { var v = metric(name, n); values.set(n.id, v); peak = Math.max(peak, v); });
    visNodes.update(data.nodes.map(function (n) {
      var size = Math.round((7 + 31 * Math.sqrt(values.get(n.id) / peak)) * 10) / 10;
      importance.set(n.id, size + (n.kg.type === "mission" ? 6 : 0));
      return { id: n.id, size: size };
    }));
  }
  byId("kg-size").value = data.size_by || "degree";
  byId("kg-size").addEventListener("change", function () { sizeBy(byId("kg-size").value); });

  // ---- colour by a metric ----
  // A sequential scale (viridis stops, dark = 1, yellow = the peak) on the log of the value, so that a few
  // hubs do not wash out the rest; nodes with none of the metric are grey. Shapes keep telling the types apart.
  var SCALE = ["#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"];
  var NONE = "#c9ced6";
  function hex(c) { return [1, 3, 5].map(function (i) { return parseInt(c.slice(i, i + 2), 16); }); }
  function ramp(t) {
    var x = Math.max(0, Math.min(1, t)) * (SCALE.length - 1);
    var i = Math.min(Math.floor(x), SCALE.length - 2);
    var a = hex(SCALE[i]);
    var b = hex(SCALE[i + 1]);
    return "#" + a.map(function (v, k) {
      return ("0" + Math.round(v + (b[k] - v) * (x - i)).toString(16)).slice(-2);
    }).join("");
  }
  var colourScale = null;  // {metric, peak} while nodes are coloured by a metric
  function colourOf(value, peak) {
    if (!(value > 0)) { return NONE; }
    return ramp(peak > 1 ? Math.log(Math.max(value, 1)) / Math.log(peak) : 1);
  }
  function colourBy(name) {
    var box = byId("kg-scale");
    clear(box);
    if (!name || name === "type") {
      colourScale = null;
      visNodes.update(data.nodes.map(function (n) { return { id: n.id, color: n.color }; }));
      box.hidden = true;
      legend.classList.remove("kg-muted");
      return;
    }
    var values = new Map();
    var peak = 0;
    data.nodes.forEach(function (n) { var v = metric(name, n); values.set(n.id, v); peak = Math.max(peak, v); });
    colourScale = { metric: name, peak: peak };
    visNodes.update(data.nodes.map(function (n) {
      var c = colourOf(values.get(n.id), peak);
      // the border too: at a 3,000-node zoom a node is a few pixels, mostly border
      return { id: n.id, color: { background: c, border: c,
                                  highlight: { background: c, border: "#000" }, hover: { background: c, border: "#000" } } };
    }));
    legend.classList.add("kg-muted");  // type colours no longer apply; the shapes still do
    box.appendChild(el("p", byId("kg-colour").selectedOptions[0].textContent + " per node", "kg-scale-title"));
    if (peak > 0) {
      var bar = el("div", null, "kg-scale-bar");
      bar.style.background = "linear-gradient(to right, " + SCALE.join(", ") + ")";
      box.appendChild(bar);
      var ticks = el("div", null, "kg-scale-ticks");
      var mid = Math.round(Math.sqrt(peak));  // the middle of a log scale from 1
      [1, mid, peak].filter(function (v, i, all) { return all.indexOf(v) === i; }).forEach(function (v) {
        ticks.appendChild(el("span", v.toLocaleString("en")));
      });
      box.appendChild(ticks);
    }
    var none = el("p", null, "kg-hint");
    var swatch = el("span", "\u25cf", "kg-symbol");
    swatch.style.color = NONE;
    none.appendChild(swatch);
    none.appendChild(document.createTextNode(peak > 0 ? " none" : " no node has any"));
    box.appendChild(none);
    box.hidden = false;
  }
  byId("kg-colour").value = data.colour_by || "type";
  byId("kg-colour").addEventListener("change", function () { colourBy(byId("kg-colour").value); });
  if (byId("kg-colour").value !== "type") { colourBy(byId("kg-colour").value); }

  // ---- groups (clusters) that open on click ----
  var ANCHORS = { mission: ["mission"], country: ["country"], speaker: ["person", "body", "organization"] };
  function group(kind) {
    var clusters = Object.keys(network.body.nodes).filter(function (id) { return network.isCluster(id); });
    clusters.forEach(function (id) { network.openCluster(id); });
    groupLabels.clear();
    if (!ANCHORS[kind]) { return 0; }
    var anchors = ANCHORS[kind];
    var joinable = data.nodes.some(function (n) { return n.kg.type === "statement"; })
      ? ["statement", "document"] : null;
    var members = new Map();
    data.nodes.forEach(function (n) {
      if (anchors.indexOf(n.kg.type) >= 0 || (joinable && joinable.indexOf(n.kg.type) < 0)) { return; }
      if (!joinable && ANCHORS.mission.concat(ANCHORS.country).indexOf(n.kg.type) < 0) { return; }
      var best = null;
      adjacency.get(n.id).forEach(function (eid) {
        var e = edgeById.get(eid);
        if (kind === "speaker" && e.kg.relation !== "speaker") { return; }
        var other = e.from === n.id ? e.to : e.from;
        var o = nodeById.get(other);
        if (anchors.indexOf(o.kg.type) < 0) { return; }
        if (best === null || adjacency.get(other).length > adjacency.get(best).length ||
            (adjacency.get(other).length === adjacency.get(best).length && other < best)) { best = other; }
      });
      if (best !== null) {
        if (!members.has(best)) { members.set(best, [best]); }
        members.get(best).push(n.id);
      }
    });
    var made = 0;
    var todo = [];
    members.forEach(function (ids, anchor) { if (ids.length >= 2) { todo.push([anchor, ids]); } });
    todo.forEach(function (item, index) {
      var anchor = item[0];
      var ids = item[1];
      var set = new Set(ids);
      var a = nodeById.get(anchor);
      var id = "group:" + anchor;
      groupLabels.set(id, a.label + " (+" + (ids.length - 1) + ")");
      network.cluster({
        joinCondition: function (options) { return set.has(options.id); },
        clusterNodeProperties: { id: id, shape: a.shape === "diamond" ? "diamond" : "dot", color: a.color,
                                 size: Math.min(14 + 2 * Math.sqrt(ids.length) * 2, 48), borderWidth: 3,
                                 title: a.label + ": " + (ids.length - 1) + " grouped; click to open" }
      }, index === todo.length - 1);  // vis-network refreshes its data once, after the last group
      made += 1;
    });
    return made;
  }
  function openGroup(id) {
    network.openCluster(id);
    groupLabels.delete(id);
  }
  byId("kg-group").addEventListener("change", function () { group(byId("kg-group").value); });

  showStatus(data.nodes.length, data.edges.length);
  if (data.focus !== null && data.focus !== undefined && nodeById.has(data.focus)) {
    network.selectNodes([data.focus]);
    showNode(data.focus);
  }
  window.kg = {
    network: network, nodes: visNodes, edges: visEdges, data: data, find: find, select: select,
    applyFilters: applyFilters, labels: function () { return placedLabels; }, keep: keep, path: path,
    group: group, sizeBy: sizeBy, colourBy: colourBy, colourOf: colourOf,
    colourScale: function () { return colourScale; },
    drawnNodeCount: function () { return network.body.nodeIndices.length; }
  };
}());
