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

  // ---- small DOM helpers (text only) ----
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function byId(id) { return document.getElementById(id); }
  function safeUrl(value) {
    if (typeof value !== "string" || !value) { return null; }
    try {
      var url = new URL(value);
      return (url.protocol === "http:" || url.protocol === "https:") && url.host ? url.href : null;
    } catch (err) { return null; }
  }
  function link(text, url) {
    var safe = safeUrl(url);
    if (!safe) { return el("span", text); }
    var a = el("a", text);
    a.href = safe;
    a.rel = "noopener noreferrer";
    a.target = "_blank";
    return a;
  }
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
    return { id: n.id, label: n.label, shape: n.shape, color: n.color, size: n.size, x: n.x, y: n.y, font: n.font,
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
      show.set(n.id, !hiddenTypes.has(n.kg.type) && !(dated && overlaps(n.kg) === false));
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
    if (params.nodes.length) { showNode(params.nodes[0]); }
    else if (params.edges.length) { showEdge(params.edges[0]); }
  });

  showStatus(data.nodes.length, data.edges.length);
  if (data.focus !== null && data.focus !== undefined && nodeById.has(data.focus)) {
    network.selectNodes([data.focus]);
    showNode(data.focus);
  }
  window.kg = {
    network: network, nodes: visNodes, edges: visEdges, data: data, find: find, select: select,
    applyFilters: applyFilters,
    drawnNodeCount: function () { return network.body.nodeIndices.length; }
  };
}());
