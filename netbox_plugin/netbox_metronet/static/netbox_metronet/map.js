/* MetroNet map: route segments, splice closures, POPs and organization sites (Leaflet, SVG renderer).
 *
 * Reads the GeoJSON of the REST endpoint maps/geo/ (same query string as the page), draws it, and sets on the
 * map element data-state="ready" and data-segments / data-closures / data-sites = the number of features
 * drawn. A click on a segment (shift+click: several) shows its cables and asks topology/impact/ what a cut
 * takes down. ?segment=<id> selects a segment when the page opens.
 */
(function () {
  "use strict";

  const el = document.getElementById("metronet-map");
  if (!el || typeof L === "undefined") return;
  const cfg = JSON.parse(document.getElementById("metronet-map-config").textContent);
  const t = JSON.parse(document.getElementById("metronet-map-i18n").textContent);
  const statusLine = document.getElementById("map-status");
  const panel = document.getElementById("map-panel-body");
  const legend = document.getElementById("map-legend-segments");
  const colorKey = { kind: "color_kind", status: "color_status", fill: "color_fill" }[cfg.color_mode] || "color_kind";

  const map = L.map(el, { attributionControl: Boolean(cfg.tile_url), zoomSnap: 0.25 });
  if (cfg.tile_url) {
    L.tileLayer(cfg.tile_url, { attribution: cfg.tile_attribution || "", maxZoom: 20 }).addTo(map);
  }
  map.setView([50.0, 14.0], 13);

  function esc(value) {
    return String(value == null ? "" : value).replace(/[&<>"']/g, (c) => (
      { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }
  function link(obj) {
    if (!obj) return "—";
    return obj.url ? `<a href="${esc(obj.url)}">${esc(obj.name)}</a>` : esc(obj.name);
  }
  function csrfToken() {
    // NetBox's base template sets window.CSRF_TOKEN (the cookie may be renamed or HttpOnly)
    if (window.CSRF_TOKEN) return window.CSRF_TOKEN;
    const m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }

  const selected = new Map(); // segment id → layer
  const segmentLayers = new Map();

  function segmentStyle(p, isSelected) {
    return {
      color: p[colorKey], weight: isSelected ? 8 : 4, opacity: isSelected ? 1 : 0.85,
      dashArray: p.cables.length ? null : "4 6", className: `metronet-segment metronet-segment-${p.id}`,
    };
  }

  function cableRows(p) {
    if (!p.cables.length) return `<p class="text-secondary">${esc(t.no_cables)}</p>`;
    const rows = p.cables.map((c) => `<li>${link(c)} — ${esc(c.lit)}/${esc(c.strand_count)} ${esc(t.strands)}
      ${esc(t.lit)} <span class="text-secondary">(${esc(c.status_label)})</span></li>`);
    return `<ul class="metronet-panel-list" id="map-segment-cables">${rows.join("")}</ul>`;
  }

  function orgList(orgs, id) {
    if (!orgs.length) return `<p class="text-secondary mb-2" id="${id}">${esc(t.none)}</p>`;
    const rows = orgs.map((o) => {
      const contact = o.contact ? ` <span class="text-secondary">— ${esc(o.contact.name)}
        ${esc(o.contact.phone || "")} ${esc(o.contact.email || "")}</span>` : "";
      return `<li>${esc(o.name)}${contact}</li>`;
    });
    return `<ul class="metronet-panel-list" id="${id}">${rows.join("")}</ul>`;
  }

  function showSelection() {
    if (!selected.size) {
      panel.innerHTML = "";
      return;
    }
    const parts = [];
    for (const layer of selected.values()) {
      const p = layer.feature.properties;
      const length = p.length_m != null ? ` · ${Math.round(p.length_m)} m` : "";
      parts.push(`<h3 class="h4 mb-1">${link(p)}</h3>
        <div class="text-secondary small mb-2">${esc(p.kind_label)} · ${esc(p.status_label)}${length}</div>
        <div class="fw-bold">${esc(t.cables)}</div>${cableRows(p)}`);
    }
    parts.push(`<div class="fw-bold mt-2">${esc(t.impact)}</div>
      <div id="map-impact" data-state="loading"><p class="text-secondary">${esc(t.computing)}</p></div>
      <button type="button" class="btn btn-sm btn-outline-secondary mt-2" id="map-clear">${esc(t.clear)}</button>`);
    panel.innerHTML = parts.join("");
    document.getElementById("map-clear").addEventListener("click", () => {
      for (const layer of selected.values()) layer.setStyle(segmentStyle(layer.feature.properties, false));
      selected.clear();
      showSelection();
    });
    loadImpact([...selected.keys()]);
  }

  let impactRequest = 0;
  function loadImpact(ids) {
    const mine = ++impactRequest;
    fetch(cfg.impact_url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ elements: ids.map((id) => ({ route_segment: id })) }),
    }).then((r) => r.json().then((body) => ({ ok: r.ok, body })))
      .then(({ ok, body }) => {
        if (mine !== impactRequest) return;
        const box = document.getElementById("map-impact");
        if (!box) return;
        if (!ok) {
          const why = body.errors ? body.errors.slice(0, 5).join("; ") : (body.detail || JSON.stringify(body));
          box.innerHTML = `<p class="text-danger">${esc(t.impact_failed)}: ${esc(why)}</p>`;
          box.dataset.state = "error";
          return;
        }
        box.innerHTML = `<div>${esc(t.offline)}: <strong id="map-impact-offline-count">${body.offline_organizations.length}</strong></div>
          ${orgList(body.offline_organizations, "map-impact-offline")}
          <div>${esc(t.degraded)}: <strong id="map-impact-degraded-count">${body.degraded_organizations.length}</strong></div>
          ${orgList(body.degraded_organizations, "map-impact-degraded")}`;
        box.dataset.state = "ready";
      })
      .catch((err) => {
        const box = document.getElementById("map-impact");
        if (box) {
          box.innerHTML = `<p class="text-danger">${esc(t.impact_failed)}: ${esc(err)}</p>`;
          box.dataset.state = "error";
        }
      });
  }

  function onSegmentClick(e) {
    const layer = e.target;
    const id = layer.feature.properties.id;
    if (!(e.originalEvent && e.originalEvent.shiftKey)) {
      for (const other of selected.values()) other.setStyle(segmentStyle(other.feature.properties, false));
      selected.clear();
    }
    if (selected.has(id)) {
      selected.delete(id);
      layer.setStyle(segmentStyle(layer.feature.properties, false));
    } else {
      selected.set(id, layer);
      layer.setStyle(segmentStyle(layer.feature.properties, true));
      layer.bringToFront();
    }
    L.DomEvent.stopPropagation(e);
    showSelection();
  }

  function sitePopup(p) {
    return `<div class="fw-bold">${link(p)}</div>
      <div>${esc(t.organization)}: ${link(p.organization)}</div>
      <div>${esc(t.town_part)}: ${esc(p.town_part || "—")}</div>
      <div>${esc(t.connection_status)}: ${esc(p.connection_status_label)}</div>
      ${p.pop ? `<div>${esc(t.pop)}</div>` : ""}`;
  }

  function draw(data) {
    const counts = { segments: 0, closures: 0, sites: 0 };
    const segments = L.geoJSON(data.features.filter((f) => f.properties.layer === "segment"), {
      style: (f) => segmentStyle(f.properties, false),
      onEachFeature: (f, layer) => {
        counts.segments += 1;
        segmentLayers.set(f.properties.id, layer);
        layer.bindTooltip(esc(f.properties.name), { sticky: true });
        layer.on("click", onSegmentClick);
      },
    });
    const points = L.geoJSON(data.features.filter((f) => f.properties.layer !== "segment"), {
      pointToLayer: (f, latlng) => {
        const p = f.properties;
        if (p.layer === "closure") {
          counts.closures += 1;
          return L.circleMarker(latlng, { radius: 4, color: "#495057", weight: 2, fillColor: "#ffffff",
            fillOpacity: 1, className: "metronet-closure" });
        }
        counts.sites += 1;
        return L.circleMarker(latlng, {
          radius: p.pop ? 9 : 7, color: p.pop ? "#1e293b" : "#ffffff", weight: p.pop ? 4 : 2,
          fillColor: p.color, fillOpacity: 1,
          className: `metronet-site metronet-site-${p.connection_status}${p.pop ? " metronet-pop" : ""}`,
        });
      },
      onEachFeature: (f, layer) => {
        const p = f.properties;
        layer.bindTooltip(esc(p.name));
        layer.bindPopup(p.layer === "closure"
          ? `<div class="fw-bold">${link(p)}</div><div>${esc(t.closure)} · ${esc(p.kind_label)}</div>`
          : sitePopup(p));
      },
    });
    segments.addTo(map);
    points.addTo(map);
    const bounds = L.featureGroup([segments, points]).getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20] });

    // legend of the segment colours in use
    const seen = new Map();
    const labelKey = { color_kind: "kind_label", color_status: "status_label" }[colorKey];
    if (labelKey) {
      for (const f of data.features) {
        if (f.properties.layer !== "segment") continue;
        const p = f.properties;
        if (!seen.has(p[colorKey])) seen.set(p[colorKey], new Set());
        seen.get(p[colorKey]).add(p[labelKey]);
      }
    } else {
      for (const [label, color] of data.legend.fill) seen.set(color, new Set([label]));
    }
    legend.innerHTML = [...seen.entries()].map(([color, labels]) => `<li><span class="metronet-swatch"
      style="background: ${esc(color)}"></span> ${esc([...labels].sort().join(", "))}</li>`).join("");

    el.dataset.segments = counts.segments;
    el.dataset.closures = counts.closures;
    el.dataset.sites = counts.sites;
    el.dataset.state = "ready";
    statusLine.textContent = `${t.drawn}: ${counts.segments} ${t.segments}, ${counts.closures} ${t.closures}, `
      + `${counts.sites} ${t.sites}.` + (data.notes && data.notes.length ? ` ${data.notes.join(" ")}` : "");

    const wanted = new URLSearchParams(window.location.search).get("segment");
    if (wanted && segmentLayers.has(Number(wanted))) {
      const layer = segmentLayers.get(Number(wanted));
      selected.set(Number(wanted), layer);
      layer.setStyle(segmentStyle(layer.feature.properties, true));
      map.fitBounds(layer.getBounds(), { maxZoom: 17 });
      showSelection();
    }
  }

  const url = cfg.data_url + (cfg.query ? `?${cfg.query}` : "");
  fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((r) => (r.ok ? r.json() : r.text().then((body) => Promise.reject(new Error(`HTTP ${r.status} ${body.slice(0, 200)}`)))))
    .then(draw)
    .catch((err) => {
      el.dataset.state = "error";
      statusLine.textContent = `${t.load_failed}: ${err.message || err}`;
    });
})();
