/* Peacekeeping KG timeline: missions as bars with arrows to their successors, statements as marks in the
   rows of the missions they mention, filters by country and speaker, a side panel for a click.
   Safety rule: every string from the data reaches the DOM through textContent; items get DOM content,
   never markup, and vis-timeline's xss option stays on; links only from absolute http(s) URLs. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var SVG = "http:\/\/www.w3.org/2000/svg";
  var el = kgDom.el, clear = kgDom.clear, byId = kgDom.byId, link = kgDom.link;
  function day(value) {  // ISO dates at their precision -> a day vis-timeline can place
    if (/^\d{4}$/.test(value)) { return value + "-01-01"; }
    if (/^\d{4}-\d{2}$/.test(value)) { return value + "-01"; }
    return value;
  }
  function dayAfter(value) {  // the last day a date at its precision covers
    if (/^\d{4}$/.test(value)) { return value + "-12-31"; }
    if (/^\d{4}-\d{2}$/.test(value)) { return value + "-28"; }
    return value;
  }

  document.title = data.title;
  var countrySelect = byId("kg-country");
  data.countries.forEach(function (c) { var o = el("option", c); o.value = c; countrySelect.appendChild(o); });
  var speakerSelect = byId("kg-speaker");
  data.speakers.forEach(function (s) { var o = el("option", s); o.value = s; speakerSelect.appendChild(o); });

  var today = new Date().toISOString().slice(0, 10);
  var contentOf = new Map();  // item id -> its content element (to find it on the page for the arrows)
  function content(id, text) { var span = el("span", text); contentOf.set(id, span); return span; }

  var groups = new vis.DataSet(data.missions.map(function (m) {
    return { id: "m" + m.id, content: el("span", m.label), order: m.id };
  }).concat([{ id: "other", content: el("span", "other statements"), order: data.missions.length }]));
  var items = new vis.DataSet();

  function wanted() { return { country: countrySelect.value, speaker: speakerSelect.value }; }
  function draw() {
    var w = wanted();
    var rows = [];
    var shownMissions = new Set();
    var statements = data.statements.filter(function (s) {
      return (!w.country || s.countries.indexOf(w.country) >= 0) && (!w.speaker || s.speakers.indexOf(w.speaker) >= 0);
    });
    statements.forEach(function (s) {
      var where = s.missions.length ? s.missions : ["other"];
      where.forEach(function (m) {
        if (m !== "other") { shownMissions.add(m); }
        rows.push({ id: "s" + s.id + "@" + m, group: m === "other" ? "other" : "m" + m, start: day(s.date),
                    type: "point", className: "kg-statement", content: content("s" + s.id + "@" + m, s.label) });
      });
    });
    data.missions.forEach(function (m) {
      var keep = w.speaker ? shownMissions.has(m.id) : (!w.country || m.hosts.indexOf(w.country) >= 0 || shownMissions.has(m.id));
      if (!keep) { return; }
      shownMissions.add(m.id);
      // no end recorded: the bar stops where a successor begins (drawn open-ended), else runs to today
      var next = data.succession.filter(function (p) { return p[0] === m.id; })
        .map(function (p) { return day(data.missions[p[1]].start); }).sort()[0];
      var end = m.end ? dayAfter(m.end) : (next || today);
      rows.push({ id: "m" + m.id, group: "m" + m.id, start: day(m.start), end: end > day(m.start) ? end : undefined,
                  type: end > day(m.start) ? "range" : "point", className: "kg-mission" + (m.end ? "" : " kg-open-end"),
                  content: content("m" + m.id, m.label) });
    });
    groups.update(data.missions.map(function (m) { return { id: "m" + m.id, visible: shownMissions.has(m.id) }; })
      .concat([{ id: "other", visible: rows.some(function (r) { return r.group === "other"; }) }]));
    items.clear();
    items.add(rows);
    byId("kg-status").textContent = shownMissions.size + " missions, " + statements.length + " statements" +
      (w.country || w.speaker ? " (filtered)" : "") + ".";
    return rows.length;
  }

  var timeline = new vis.Timeline(byId("kg-timeline"), items, groups, {
    stack: true, zoomKey: "ctrlKey", orientation: "top", groupOrder: "order", margin: { item: 4 },
    selectable: true, showCurrentTime: false
  });

  // ---- succession arrows, drawn over the timeline after each redraw ----
  var arrows = byId("kg-arrows");
  var arrowCount = 0;
  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }
  function drawArrows() {
    clear(arrows);
    var defs = svg("defs", {});
    var marker = svg("marker", { id: "kg-head", viewBox: "0 0 10 10", refX: "9", refY: "5", markerWidth: "7",
                                 markerHeight: "7", orient: "auto-start-reverse" });
    marker.appendChild(svg("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: "#c0392b" }));
    defs.appendChild(marker);
    arrows.appendChild(defs);
    var box = byId("kg-timeline-box").getBoundingClientRect();
    arrows.setAttribute("width", String(byId("kg-timeline").scrollWidth));
    arrows.setAttribute("height", String(byId("kg-timeline").scrollHeight));
    arrowCount = 0;
    data.succession.forEach(function (pair) {
      var a = contentOf.get("m" + pair[0]);
      var b = contentOf.get("m" + pair[1]);
      if (!a || !b || !a.isConnected || !b.isConnected || !items.get("m" + pair[0]) || !items.get("m" + pair[1])) { return; }
      var ra = a.closest(".vis-item").getBoundingClientRect();
      var rb = b.closest(".vis-item").getBoundingClientRect();
      if (!ra.width || !rb.width) { return; }
      var x1 = ra.right - box.left, y1 = ra.top + ra.height / 2 - box.top;
      var x2 = rb.left - box.left, y2 = rb.top + rb.height / 2 - box.top;
      var bend = Math.max(20, Math.abs(x2 - x1) / 3);
      arrows.appendChild(svg("path", { d: "M " + x1 + " " + y1 + " C " + (x1 + bend) + " " + y1 + ", " + (x2 - bend) + " " +
        y2 + ", " + x2 + " " + y2, fill: "none", stroke: "#c0392b", "stroke-width": "1.6", "marker-end": "url(#kg-head)",
        "data-from": String(pair[0]), "data-to": String(pair[1]) }));
      arrowCount += 1;
    });
  }
  timeline.on("changed", drawArrows);

  // ---- the side panel ----
  var details = byId("kg-details");
  function facts(rows) {
    var dl = el("dl");
    rows.forEach(function (r) {
      if (!r[1]) { return; }
      dl.appendChild(el("dt", r[0]));
      var dd = el("dd");
      if (r[1] instanceof Node) { dd.appendChild(r[1]); } else { dd.textContent = String(r[1]); }
      dl.appendChild(dd);
    });
    return dl;
  }
  function showStatement(s) {
    clear(details);
    details.setAttribute("data-statement", String(s.id));
    details.appendChild(el("h3", s.label));
    if (s.quote) { details.appendChild(el("blockquote", "\u201c" + s.quote + "\u201d")); }
    if (s.sentence) { details.appendChild(el("p", s.sentence, "kg-sentence")); }
    var source = s.source_link ? link(s.source_title || s.source_url, s.source_link)
      : (s.source_title || s.source_url ? el("span", s.source_title || s.source_url) : null);
    details.appendChild(facts([["Date", s.date], ["Speaker", s.speakers.join(", ")],
      ["Missions", s.missions.map(function (m) { return data.missions[m].label; }).join(", ")],
      ["Countries", s.countries.join(", ")], ["Source", source]]));
  }
  function showMission(m) {
    clear(details);
    details.setAttribute("data-mission", String(m.id));
    details.removeAttribute("data-statement");
    details.appendChild(el("h3", m.label));
    var before = data.succession.filter(function (p) { return p[1] === m.id; }).map(function (p) { return data.missions[p[0]].label; });
    var after = data.succession.filter(function (p) { return p[0] === m.id; }).map(function (p) { return data.missions[p[1]].label; });
    details.appendChild(facts([["Name", m.name], ["From", m.start], ["Until", m.end || (after.length ? "not recorded (drawn to the successor's start)" : "not recorded")],
      ["Hosts", m.hosts.join(", ")], ["After", before.join(", ")], ["Before", after.join(", ")]]));
  }
  timeline.on("select", function (props) {
    var id = props.items[0];
    if (!id) { return; }
    if (id.charAt(0) === "s") { showStatement(data.statements[Number(id.slice(1).split("@")[0])]); }
    else { showMission(data.missions[Number(id.slice(1))]); }
  });

  function refilter() { draw(); timeline.fit({ animation: false }); }
  countrySelect.addEventListener("change", refilter);
  speakerSelect.addEventListener("change", refilter);
  draw();
  timeline.fit({ animation: false });
  timeline.once("changed", function () { document.body.setAttribute("data-ready", "true"); });
  window.kgTimeline = {
    timeline: timeline, items: items, data: data, arrows: function () { return arrowCount; },
    select: function (id) { timeline.setSelection([id]); timeline.emit("select", { items: [id] }); }
  };
}());
