// The query page: YASGUI (vendored) against this server's /sparql, with local completers, the saved
// questions as forms, downloads, a shareable address, local history and result views (YASR plugins)
// for charts, maps, timelines and graphs. Data reaches the DOM through textContent only.
"use strict";
(function () {
  let ID = "";  // the base of our resources, from the server's configuration
  const GEO_WKT = "http://www.opengis.net/ont/geosparql#wktLiteral";
  const XSD = "http://www.w3.org/2001/XMLSchema#";
  const NUMERIC = ["integer", "decimal", "double", "float", "int", "long", "short", "nonNegativeInteger",
                   "positiveInteger"].map(t => XSD + t);
  const DATES = ["date", "dateTime", "gYear", "gYearMonth"].map(t => XSD + t);
  const HISTORY_KEY = "kg-query-history";
  const HISTORY_MAX = 50;
  const Yasr = Yasgui.Yasr, Yasqe = Yasgui.Yasqe;
  let prefixes = {};   // declared prefixes, from the endpoint's own prologue (queries.json)
  let terms = {classes: [], properties: []};
  let library = [];
  let termsReady = null;

  // ---- small DOM helpers ------------------------------------------------------------------------
  function el(tag, text, attrs) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    return node;
  }
  function setStatus(text, error) {
    const status = document.getElementById("status");
    status.textContent = text;
    status.className = error ? "error" : "";
  }
  function shortIri(iri) {
    let best = "", name = "";
    for (const [p, ns] of Object.entries(prefixes)) {
      if (iri.startsWith(ns) && ns.length > best.length) { best = ns; name = p; }
    }
    return best ? name + ":" + iri.slice(best.length) : iri;
  }
  function shown(term) {
    if (!term) return "";
    return term.type === "uri" ? shortIri(term.value) : term.value;
  }
  function isNumeric(term) { return term && term.type === "literal" && NUMERIC.includes(term.datatype); }
  function isDate(term) { return term && term.type === "literal" && DATES.includes(term.datatype); }
  async function sparql(query) {
    const response = await fetch("/sparql", {method: "POST", body: query, headers: {
      "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}});
    if (!response.ok) throw new Error(await response.text());
    return (await response.json()).results.bindings;
  }

  // ---- completers: declared prefixes, and classes and properties from the ontology ----------------
  function iriCompleter(base, name, list) {
    Yasqe.forkAutocompleter(base, {
      name: name, bulk: true, autoShow: false, persistenceId: null,
      get: () => list(),
    }, false);
  }
  // the endpoint predeclares its prefixes, so the editor's checker must know them too (else every
  // `pk:` is marked "not defined"): each parse of the query starts with them declared
  function predeclarePrefixes() {
    const original = Yasqe.modes.sparql11;
    Yasqe.defineMode("sparql11", function (config, modeConfig) {
      const mode = original(config, modeConfig);
      const start = mode.startState;
      mode.startState = function () {
        const state = start.apply(this, arguments);
        state.prefixes = Object.assign({}, prefixes);
        return state;
      };
      return mode;
    });
  }
  function registerCompleters() {
    Yasqe.forkAutocompleter("prefixes", {
      name: "kg-prefixes", persistenceId: null,
      get: () => Promise.resolve(Object.entries(prefixes).map(([p, ns]) => p + ": <" + ns + ">").sort()),
    }, false);
    // bulk completers ask once, when the editor starts: answer when the terms have come
    iriCompleter("class", "kg-classes", () => termsReady.then(() => terms.classes));
    iriCompleter("property", "kg-properties", () => termsReady.then(() => terms.properties));
    Yasqe.defaults.autocompleters = ["variables", "kg-prefixes", "kg-classes", "kg-properties"];
  }
  async function loadTerms() {
    const rows = await sparql("SELECT DISTINCT ?t ?k WHERE { ?t a ?k . VALUES ?k { owl:Class rdfs:Class "
      + "owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty rdf:Property } FILTER(isIRI(?t)) }");
    const classes = new Set(), properties = new Set();
    for (const r of rows) (/Class$/.test(r.k.value) ? classes : properties).add(r.t.value);
    for (const p of ["rdf:type", "rdfs:label", "skos:prefLabel", "skos:altLabel", "foaf:name"]) {
      const [pre, local] = p.split(":");
      properties.add(prefixes[pre] + local);
    }
    terms.classes.push(...[...classes].sort());
    terms.properties.push(...[...properties].sort());
  }

  // ---- result views as YASR plugins ---------------------------------------------------------------
  function bindings(yasr) { return (yasr.results && yasr.results.getBindings()) || []; }
  function variables(yasr) { return (yasr.results && yasr.results.getVariables()) || []; }
  function columnsWhere(yasr, test) {
    const rows = bindings(yasr);
    return variables(yasr).filter(v => rows.length && rows.some(r => r[v]) && rows.every(r => !r[v] || test(r[v])));
  }
  function icon(text) { return el("span", text, {"class": "kg-icon"}); }
  function labelColumn(yasr, not) {
    return variables(yasr).find(v => !not.includes(v)) || variables(yasr)[0];
  }

  class ChartPlugin {
    constructor(yasr) { this.yasr = yasr; this.priority = 4; this.label = "Chart"; this.chart = null; }
    canHandleResults() {
      const rows = bindings(this.yasr);
      return rows.length > 0 && rows.length <= 2000 && columnsWhere(this.yasr, isNumeric).length > 0
        && variables(this.yasr).length > 1;
    }
    getIcon() { return icon("▇"); }
    draw(config) {
      this.config = Object.assign({type: "bar"}, config || {});
      const numeric = columnsWhere(this.yasr, isNumeric);
      const labelVar = labelColumn(this.yasr, numeric);
      const rows = bindings(this.yasr);
      const root = el("div", null, {"class": "kg-chart"});
      const controls = el("div", null, {"class": "kg-controls"});
      const kind = el("select", null, {"aria-label": "chart type", "class": "kg-chart-type"});
      for (const t of ["bar", "line"]) {
        const o = el("option", t); o.value = t; o.selected = t === this.config.type; kind.append(o);
      }
      kind.addEventListener("change", () => {
        this.config.type = kind.value;
        this.yasr.storePluginConfig("chart", this.config);
        this.draw(this.config);
      });
      controls.append(el("span", "Chart of " + numeric.join(", ") + " by " + labelVar + " "), kind);
      const canvas = el("canvas", null, {"aria-label": "chart"});
      const box = el("div", null, {"class": "kg-chart-box"}); box.append(canvas);
      root.append(controls, box);
      this.destroy();
      this.yasr.resultsEl.replaceChildren(root);
      this.chart = new Chart(canvas, {
        type: this.config.type,
        data: {
          labels: rows.map(r => shown(r[labelVar])),
          datasets: numeric.map(v => ({label: v, data: rows.map(r => r[v] ? Number(r[v].value) : null)})),
        },
        options: {animation: false, responsive: true, maintainAspectRatio: false},
      });
    }
    destroy() { if (this.chart) { this.chart.destroy(); this.chart = null; } }
  }

  function pointOf(row, vars) {
    for (const v of vars.wkt) {
      const m = row[v] && /^\s*(?:<[^>]*>\s*)?POINT\s*\(\s*(-?[\d.]+)\s+(-?[\d.]+)\s*\)\s*$/i.exec(row[v].value);
      if (m) return [Number(m[2]), Number(m[1])];
    }
    if (vars.lat && vars.lon && row[vars.lat] && row[vars.lon]) {
      return [Number(row[vars.lat].value), Number(row[vars.lon].value)];
    }
    return null;
  }
  function mapVars(yasr) {
    const names = variables(yasr);
    return {
      wkt: columnsWhere(yasr, t => t.datatype === GEO_WKT),
      lat: names.find(v => /^(lat|latitude)$/i.test(v)),
      lon: names.find(v => /^(lon|long|lng|longitude)$/i.test(v)),
    };
  }
  let countries = null;
  async function countryShapes() {
    if (!countries) {
      const topo = await (await fetch("/assets/world-atlas-2.0.2-countries-110m.json")).json();
      countries = topojson.feature(topo, topo.objects.countries);
    }
    return countries;
  }
  function rowCard(row, vars) {
    const card = el("dl", null, {"class": "kg-card"});
    for (const v of vars) {
      if (!row[v]) continue;
      card.append(el("dt", v), el("dd", shown(row[v])));
    }
    return card;
  }

  class MapPlugin {
    constructor(yasr) { this.yasr = yasr; this.priority = 3; this.label = "Map"; this.map = null; }
    canHandleResults() {
      const vars = mapVars(this.yasr);
      return bindings(this.yasr).some(r => pointOf(r, vars));
    }
    getIcon() { return icon("◉"); }
    async draw() {
      const vars = mapVars(this.yasr);
      const rows = bindings(this.yasr);
      const box = el("div", null, {"class": "kg-map"});
      this.destroy();
      this.yasr.resultsEl.replaceChildren(box);
      // no tile layer at all: country outlines from Natural Earth (world-atlas), drawn as vectors
      const map = L.map(box, {preferCanvas: true, worldCopyJump: true, attributionControl: true});
      this.map = map;
      map.attributionControl.setPrefix(false);
      map.attributionControl.addAttribution("Natural Earth (public domain)");
      const found = rows.map(row => [row, pointOf(row, vars)]).filter(([, at]) => at);
      // a view first: Leaflet cannot place vector layers on a map that has none
      if (found.length) map.fitBounds(L.latLngBounds(found.map(([, at]) => at)).pad(0.3), {maxZoom: 6});
      else map.setView([0, 0], 1);
      L.geoJSON(await countryShapes(), {style: {color: "#8a97a6", weight: 0.7, fillColor: "#eef1f4",
                                                fillOpacity: 1}, interactive: false}).addTo(map);
      // sized by the answer's first number (personnel, say), by area
      const sizeVar = columnsWhere(this.yasr, isNumeric)[0];
      const largest = sizeVar ? Math.max(1, ...found.map(([row]) => Number(row[sizeVar] ? row[sizeVar].value : 0))) : 1;
      for (const [row, at] of found) {
        const size = sizeVar && row[sizeVar] ? Math.max(0, Number(row[sizeVar].value)) : 0;
        L.circleMarker(at, {radius: sizeVar ? 3 + 15 * Math.sqrt(size / largest) : 5, color: "#1d3557", weight: 1, fillColor: "#e76f51", fillOpacity: 0.8})
          .bindPopup(() => rowCard(row, variables(this.yasr))).addTo(map);
      }
      const points = found;
      box.dataset.points = String(points.length);
    }
    destroy() { if (this.map) { this.map.remove(); this.map = null; } }
  }

  function toDate(term) {
    const v = term.value;
    if (/^\d{4}$/.test(v)) return v + "-01-01";
    if (/^\d{4}-\d{2}$/.test(v)) return v + "-01";
    return v;
  }
  class TimelinePlugin {
    constructor(yasr) { this.yasr = yasr; this.priority = 2; this.label = "Timeline"; this.timeline = null; }
    canHandleResults() {
      return bindings(this.yasr).length > 0 && bindings(this.yasr).length <= 5000
        && columnsWhere(this.yasr, isDate).length > 0;
    }
    getIcon() { return icon("☰"); }
    draw() {
      const dates = columnsWhere(this.yasr, isDate);
      const [startVar, endVar] = dates;
      const labelVar = labelColumn(this.yasr, dates);
      const items = [];
      bindings(this.yasr).forEach((row, i) => {
        if (!row[startVar]) return;
        const content = el("span", shown(row[labelVar]));  // an element: vis-timeline never parses it
        const item = {id: i, content: content, start: toDate(row[startVar]), title: undefined};
        if (endVar && row[endVar] && toDate(row[endVar]) > item.start) {
          item.end = toDate(row[endVar]);
          item.type = "range";
        } else {
          item.type = "point";
        }
        items.push(item);
      });
      const box = el("div", null, {"class": "kg-timeline"});
      const detail = el("div", null, {"class": "kg-timeline-detail"});
      this.destroy();
      this.yasr.resultsEl.replaceChildren(box, detail);
      this.timeline = new vis.Timeline(box, new vis.DataSet(items), {
        stack: true, maxHeight: 520, zoomKey: "ctrlKey", orientation: "top"});
      this.timeline.on("select", props => {
        const row = bindings(this.yasr)[props.items[0]];
        detail.replaceChildren(row ? rowCard(row, variables(this.yasr)) : "");
      });
      box.dataset.items = String(items.length);
    }
    destroy() { if (this.timeline) { this.timeline.destroy(); this.timeline = null; } }
  }

  function n3Value(term) {
    return term.termType === "Literal" ? {type: "literal", value: term.value}
      : {type: term.termType === "BlankNode" ? "bnode" : "uri", value: term.value};
  }
  class GraphPlugin {
    constructor(yasr) { this.yasr = yasr; this.priority = 6; this.label = "Graph"; this.network = null; }
    canHandleResults() {
      return !!this.yasr.results && this.yasr.results.getType() === "ttl"
        && (this.yasr.results.getStatements() || []).length > 0;
    }
    getIcon() { return icon("⬡"); }
    draw() {
      const statements = this.yasr.results.getStatements().slice(0, 3000);
      const nodes = new Map(), edges = [];
      const node = term => {
        const v = n3Value(term);
        const key = v.type + " " + v.value;
        if (!nodes.has(key)) {
          nodes.set(key, {id: nodes.size, label: shown(v).slice(0, 60), title: undefined,
                          shape: v.type === "literal" ? "box" : "dot",
                          color: v.type === "literal" ? "#f1faee" : "#457b9d", size: 8});
        }
        return nodes.get(key).id;
      };
      for (const s of statements) {
        edges.push({from: node(s.subject), to: node(s.object), label: shortIri(s.predicate.value),
                    arrows: "to", font: {size: 9, align: "middle"}});
      }
      const box = el("div", null, {"class": "kg-graph"});
      this.destroy();
      this.yasr.resultsEl.replaceChildren(box);
      this.network = new vis.Network(box, {nodes: [...nodes.values()], edges: edges}, {
        physics: {stabilization: {iterations: 150}}, interaction: {hover: true}});
      box.dataset.nodes = String(nodes.size);
    }
    destroy() { if (this.network) { this.network.destroy(); this.network = null; } }
  }

  // YASR's table, sorting numbers as numbers (it sorts every cell as text: "999" after "3000")
  function numericTable(Table) {
    return class extends Table {
      getColumns() {
        const columns = super.getColumns();
        const numeric = new Set(columnsWhere(this.yasr, isNumeric));
        for (const column of columns) {
          if (!numeric.has(column.name)) continue;
          const render = column.render;
          column.type = "num";
          column.render = (cell, type, row, meta) => (type === "sort" || type === "type") && cell !== ""
            ? Number(cell.value) : render(cell, type, row, meta);
        }
        return columns;
      }
    };
  }

  // ---- saved questions as forms -------------------------------------------------------------------
  const nameLists = {};
  async function namesOf(kind) {
    if (!nameLists[kind]) {
      const base = ID + kind + "/";
      nameLists[kind] = sparql("SELECT ?x (SAMPLE(COALESCE(?name, ?person, ?acronym)) AS ?label) WHERE { "
        + "?x skos:prefLabel|foaf:name|pk:acronym ?any . FILTER(STRSTARTS(STR(?x), " + JSON.stringify(base) + ")) "
        + "OPTIONAL { ?x skos:prefLabel ?name } OPTIONAL { ?x foaf:name ?person } OPTIONAL { ?x pk:acronym ?acronym } "
        + "} GROUP BY ?x ORDER BY ?label")
        .then(rows => rows.map(r => ({key: r.x.value.slice(base.length), label: r.label.value})));
    }
    return nameLists[kind];
  }
  async function datalistFor(kind) {
    const id = "names-" + kind;
    let list = document.getElementById(id);
    if (!list) {
      list = el("datalist", null, {id: id});
      document.getElementById("lists").append(list);
      for (const n of await namesOf(kind)) {
        const o = el("option", n.label); o.value = n.key; list.append(o);
      }
    }
    return list;
  }
  function paramInput(p) {
    const [base, kind] = p.type.split(":");
    const input = el("input", null, {name: p.name, id: "param-" + p.name});
    if (base === "date") input.type = "date";
    else if (base === "year") { input.type = "number"; input.min = "1940"; input.max = "2100"; }
    else if (base === "integer") input.type = "number";
    else input.type = "text";
    if (p.default) {
      input.placeholder = p.default;
      if (base === "date" && /^\d{4}-\d{2}-\d{2}$/.test(p.default)) input.value = p.default;
    }
    if (kind) {
      input.setAttribute("list", "names-" + kind);
      input.setAttribute("autocomplete", "off");
      input.dataset.kind = kind;
      datalistFor(kind).catch(err => setStatus("could not list the " + kind + " names: " + err.message, true));
    }
    return input;
  }
  async function keyFor(input) {
    const value = input.value.trim();
    if (!value || !input.dataset.kind) return value;
    const names = await namesOf(input.dataset.kind);
    if (names.some(n => n.key === value)) return value;
    const byName = names.find(n => n.label.toLowerCase() === value.toLowerCase());
    return byName ? byName.key : value;  // a name typed in full becomes its key
  }
  function openForm(q) {
    const section = document.getElementById("form");
    const form = document.getElementById("params");
    document.getElementById("form-title").textContent = q.title;
    document.getElementById("form-description").textContent = q.description;
    form.replaceChildren();
    form.dataset.name = q.name;
    for (const p of q.params) {
      const label = el("label", p.name + " ", {"for": "param-" + p.name});
      label.append(el("small", p.description));
      form.append(label, paramInput(p));
    }
    const run = el("button", "Run", {type: "submit"});
    const edit = el("button", "Edit in the editor", {type: "button", "class": "secondary"});
    form.append(run, edit);
    form.onsubmit = event => { event.preventDefault(); loadSaved(q, true); };
    edit.onclick = () => loadSaved(q, false);
    section.hidden = false;
  }
  async function loadSaved(q, andRun) {
    const form = document.getElementById("params");
    const values = new URLSearchParams();
    for (const input of form.querySelectorAll("input")) values.set(input.name, await keyFor(input));
    const response = await fetch("/queries/" + encodeURIComponent(q.name) + ".rq?" + values.toString());
    const text = await response.text();
    if (!response.ok) { setStatus("Error " + response.status + ": " + text, true); return; }
    const tab = yasgui.getTab();
    tab.setQuery(text);
    if (andRun) tab.query();
  }

  // ---- downloads, address, history ----------------------------------------------------------------
  function updateDownloads(tab) {
    const query = tab.getQuery();
    const graph = ["CONSTRUCT", "DESCRIBE"].includes(tab.getYasqe().getQueryType());
    for (const a of document.querySelectorAll("#downloads a")) {
      const fmt = a.dataset.format;
      const fits = graph ? ["turtle", "ntriples", "jsonld"].includes(fmt) : ["csv", "tsv", "json"].includes(fmt);
      a.hidden = !fits;
      const ext = {turtle: "ttl", ntriples: "nt", jsonld: "jsonld", json: "srj"}[fmt] || fmt;
      a.href = "/sparql?" + new URLSearchParams({query: query, format: fmt}).toString();
      a.setAttribute("download", "answer." + ext);
    }
    document.getElementById("downloads").hidden = false;
  }
  function updateAddress(tab) {
    const params = new URLSearchParams({query: tab.getQuery()});
    const plugin = tab.getYasr().selectedPlugin;
    if (plugin) params.set("outputFormat", plugin);
    history.replaceState(null, "", location.pathname + "#" + params.toString());
  }
  // the address follows each tab's view; a tab gets its result view once shown, so look after the change
  const followed = new WeakSet();
  function follow(tab) {
    const yasr = tab && tab.getYasr && tab.getYasr();
    if (!yasr || followed.has(yasr)) return;
    followed.add(yasr);
    yasr.on("change", () => updateAddress(tab));
  }
  function fromAddress() {
    const hash = location.hash.length > 1 ? new URLSearchParams(location.hash.slice(1)) : null;
    const params = hash && hash.has("query") ? hash : new URLSearchParams(location.search);
    const query = params.get("query");
    return query === null ? null : {query: query, outputFormat: params.get("outputFormat") || ""};
  }
  // The query of a shared address (/#query=… or /?query=…) in its view, run now: in the tab that holds it
  // already (a second visit) or in the example's tab (a first visit), else in a new tab, so that the tabs
  // of earlier visits are kept.
  function openFromAddress(wanted, example) {
    let tab = yasgui.getTab();
    if (tab.getQuery() !== wanted.query && tab.getQuery() !== example) tab = yasgui.addTab(true);
    tab.setQuery(wanted.query);
    if (wanted.outputFormat && Yasr.plugins[wanted.outputFormat]) tab.getYasr().selectPlugin(wanted.outputFormat);
    follow(tab);
    tab.query();
  }
  function readHistory() {
    try { return JSON.parse(localStorage.getItem(HISTORY_KEY) || "[]"); } catch (_) { return []; }
  }
  function remember(query) {
    const past = readHistory().filter(h => h.query !== query);
    past.unshift({query: query, at: new Date().toISOString().slice(0, 16).replace("T", " ")});
    try { localStorage.setItem(HISTORY_KEY, JSON.stringify(past.slice(0, HISTORY_MAX))); } catch (_) { /* full */ }
    drawHistory();
  }
  function drawHistory() {
    const list = document.getElementById("history");
    list.replaceChildren();
    for (const h of readHistory()) {
      const item = el("li");
      const button = el("button", h.query.replace(/^(PREFIX[^\n]*\n)+/i, "").replace(/\s+/g, " ").slice(0, 90),
                        {type: "button", title: h.query});
      button.append(el("small", h.at));
      button.addEventListener("click", () => yasgui.getTab().setQuery(h.query));
      item.append(button);
      list.append(item);
    }
  }

  function answered(tab) {
    const results = tab.getYasr().results;
    const error = results && results.getError();
    if (error) {
      const text = results.getData();
      setStatus("Error " + (error.status || "") + ": " + (typeof text === "string" && text ? text : error.text), true);
    } else {
      const rows = results && results.getBindings();
      const res = results && results.res;
      const truncated = res && res.headers && res.headers.get && res.headers.get("X-KG-Truncated") === "true";
      setStatus(rows ? rows.length + (rows.length === 1 ? " row" : " rows")
        + (truncated ? ", cut at the server's row limit: add LIMIT and OFFSET" : "") : "answered");
    }
    remember(tab.getQuery());
    updateDownloads(tab);
    updateAddress(tab);
  }

  // ---- start ----------------------------------------------------------------------------------------
  let yasgui = null;
  async function start() {
    library = await (await fetch("/queries.json")).json();
    const config = await (await fetch("/query-config.json")).json();
    prefixes = config.prefixes;
    ID = config.id;
    termsReady = loadTerms();
    predeclarePrefixes();
    registerCompleters();
    const table = numericTable(Yasr.plugins.table);
    table.defaults = Object.assign({}, Yasr.plugins.table.defaults, {openIriInNewWindow: false});
    Yasr.registerPlugin("table", table);
    Yasr.registerPlugin("chart", ChartPlugin);
    Yasr.registerPlugin("map", MapPlugin);
    Yasr.registerPlugin("timeline", TimelinePlugin);
    Yasr.registerPlugin("graph", GraphPlugin);
    Yasr.defaults.pluginOrder = ["table", "chart", "map", "timeline", "graph", "response"];
    Yasr.defaults.prefixes = prefixes;
    const wanted = fromAddress();  // read before Yasgui starts: the page rewrites the address
    yasgui = new Yasgui(document.getElementById("yasgui"), {
      populateFromUrl: false,  // done below, so that a shared address always runs (and names no endpoint)
      requestConfig: {endpoint: location.origin + "/sparql", method: "POST"},
      copyEndpointOnNewTab: false,
      endpointCatalogueOptions: {getData: () => [{endpoint: location.origin + "/sparql"}]},
      persistenceId: "kg-query-page",
      yasqe: {value: config.example, resizeable: true, editorHeight: "260px"},
      yasr: {prefixes: prefixes},
    });
    window.kgYasgui = yasgui;
    yasgui.on("query", () => setStatus("running…"));
    // a tab announces its answer before handing it to its result view: look once the view has it
    yasgui.on("queryResponse", (_y, tab) => setTimeout(() => answered(tab), 0));
    yasgui.on("tabChange", (_y, tab) => setTimeout(() => follow(tab), 0));
    follow(yasgui.getTab());
    if (wanted) openFromAddress(wanted, config.example);
    // our resources open on this server's pages, not at their (not yet resolving) public address
    document.getElementById("yasgui").addEventListener("click", event => {
      const a = event.target.closest && event.target.closest("a.iri");
      if (a && a.href.startsWith(ID)) { event.preventDefault(); location.href = "/id/" + a.href.slice(ID.length); }
    });
    const saved = document.getElementById("saved");
    for (const q of library) {
      const button = el("button", q.title, {type: "button", title: q.description, "data-name": q.name});
      button.append(el("small", q.name + (q.params.length ? " (" + q.params.map(p => p.name).join(", ") + ")" : "")));
      button.addEventListener("click", () => openForm(q));
      saved.append(button);
    }
    document.getElementById("clear-history").addEventListener("click", () => {
      localStorage.removeItem(HISTORY_KEY); drawHistory();
    });
    drawHistory();
    termsReady.catch(err => setStatus("could not read the ontology's terms: " + err.message, true));
    document.body.dataset.ready = "true";
  }
  document.addEventListener("DOMContentLoaded", () => {
    start().catch(err => setStatus("the page could not start: " + err.message, true));
  });
})();
