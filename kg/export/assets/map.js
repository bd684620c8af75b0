/* Peacekeeping KG map: deployment sites by mission and year on Natural Earth outlines, no tiles.
   Safety rule: every string from the data reaches the DOM through textContent; links only from absolute
   http(s) URLs; popups and the panel are DOM nodes, never markup. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var world = JSON.parse(document.getElementById("kg-world").textContent);
  var el = kgDom.el, clear = kgDom.clear, byId = kgDom.byId, link = kgDom.link;
  function fill(select, values) {
    values.forEach(function (v) { var o = el("option", v); o.value = v; select.appendChild(o); });
  }
  document.title = data.title;
  fill(byId("kg-mission"), data.missions);
  fill(byId("kg-contributor"), data.contributors);
  fill(byId("kg-year"), data.years);

  // no tile layer: the outlines are the only background, so nothing is ever fetched
  var map = L.map("kg-map", { preferCanvas: true, worldCopyJump: true, zoomSnap: 0.25 });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Natural Earth (public domain), via world-atlas");
  var hosts = new Set(data.hosts);
  // rings that cross the antimeridian (Russia, Fiji) would be drawn as lines across the world: unwrap
  // their longitudes so that each ring runs on; Antarctica (010) holds no mission and is left out
  function unwrap(ring) {
    for (var i = 1; i < ring.length; i += 1) {
      while (ring[i][0] - ring[i - 1][0] > 180) { ring[i][0] -= 360; }
      while (ring[i][0] - ring[i - 1][0] < -180) { ring[i][0] += 360; }
    }
  }
  var shapes = topojson.feature(world, world.objects.countries);
  shapes.features = shapes.features.filter(function (f) { return String(f.id) !== "010"; });
  shapes.features.forEach(function (f) {
    var g = f.geometry;
    if (!g) { return; }
    (g.type === "Polygon" ? [g.coordinates] : g.coordinates).forEach(function (poly) { poly.forEach(unwrap); });
  });
  var outlines = L.geoJSON(shapes, {
    interactive: false,
    style: function (feature) {
      var host = hosts.has(String(feature.id));
      return { color: host ? "#1f4e79" : "#9aa6b2", weight: host ? 1.6 : 0.6, fillColor: host ? "#fdf5d8" : "#eef1f4",
               fillOpacity: 1 };
    }
  }).addTo(map);
  if (data.sites.length) {
    map.fitBounds(L.latLngBounds(data.sites.map(function (s) { return [s.lat, s.lon]; })).pad(0.25));
  } else {
    map.fitBounds(outlines.getBounds());
  }
  var renderer = L.canvas({ padding: 0.3 });
  var layer = L.layerGroup().addTo(map);
  var drawn = [];

  function chosen() {
    return { mission: byId("kg-mission").value, contributor: byId("kg-contributor").value, year: byId("kg-year").value };
  }
  function matches(d, w) {
    return (!w.mission || d.mission === w.mission) && (!w.year || d.year === w.year) &&
      (!w.contributor || d.contributors.some(function (c) { return c[0] === w.contributor; }));
  }
  function card(site, list) {
    var box = el("div");
    box.appendChild(el("h3", site.label));
    box.appendChild(el("p", site.country, "kg-hint"));
    list.forEach(function (d) {
      box.appendChild(el("h4", d.mission + ", " + d.year));
      var dl = el("dl");
      function row(k, v) {
        if (v === "" || v === null || v === undefined || (v.length !== undefined && v.length === 0)) { return; }
        dl.appendChild(el("dt", k));
        var dd = el("dd");
        if (v instanceof Node) { dd.appendChild(v); } else { dd.textContent = String(v); }
        dl.appendChild(dd);
      }
      row("Personnel", d.troops ? "about " + d.troops.toLocaleString("en") : "");
      row("Units", d.units.join(", "));
      row("Contributors", d.contributors.map(function (c) {
        return c[1] ? c[0] + " (about " + c[1].toLocaleString("en") + ")" : c[0];
      }).join(", "));
      if (d.sources.length) {
        var span = el("span");
        d.sources.forEach(function (s, i) {
          if (i) { span.appendChild(document.createTextNode(", ")); }
          span.appendChild(link(s[0], s[1]));
        });
        row("Sources", span);
      }
      box.appendChild(dl);
    });
    return box;
  }
  function draw() {
    var w = chosen();
    layer.clearLayers();
    drawn = [];
    var bySite = new Map();
    data.deployments.forEach(function (d) {
      if (!matches(d, w)) { return; }
      if (!bySite.has(d.site)) { bySite.set(d.site, []); }
      bySite.get(d.site).push(d);
    });
    var peak = 1;
    bySite.forEach(function (list) { list.forEach(function (d) { peak = Math.max(peak, d.troops); }); });
    var personnel = 0;
    bySite.forEach(function (list, siteId) {
      var site = data.sites[siteId];
      var troops = Math.max.apply(null, list.map(function (d) { return d.troops; }));
      personnel += troops;
      var marker = L.circleMarker([site.lat, site.lon], {
        renderer: renderer, radius: 3 + 17 * Math.sqrt(troops / peak), color: "#7a2e12", weight: 1,
        fillColor: "#e76f51", fillOpacity: 0.7
      });
      marker.on("click", function () {
        var details = byId("kg-details");
        clear(details);
        details.setAttribute("data-site", String(siteId));
        details.appendChild(card(site, list));
        marker.bindPopup(card(site, list)).openPopup();
      });
      marker.addTo(layer);
      drawn.push({ site: siteId, marker: marker });
    });
    if (!data.sites.length) {
      byId("kg-status").textContent = "The graph holds no deployment sites yet, so the map shows the outlines only.";
      return;
    }
    byId("kg-status").textContent = drawn.length.toLocaleString("en") + " sites, " +
      (w.year ? "about " + personnel.toLocaleString("en") + " personnel in " + w.year : "largest presence of each") +
      (w.mission || w.contributor ? " (filtered)" : "") + ".";
  }
  ["kg-mission", "kg-contributor", "kg-year"].forEach(function (id) { byId(id).addEventListener("change", draw); });
  draw();
  window.kgMap = {
    map: map, data: data, drawn: function () { return drawn.length; },
    point: function (siteId) {  // where a site is on the page, for tests and screenshots
      var p = map.latLngToContainerPoint([data.sites[siteId].lat, data.sites[siteId].lon]);
      var r = byId("kg-map").getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    },
    open: function (siteId) {
      var found = drawn.filter(function (d) { return d.site === siteId; })[0];
      if (found) { found.marker.fire("click"); }
      return Boolean(found);
    }
  };
  document.body.setAttribute("data-ready", "true");
}());
