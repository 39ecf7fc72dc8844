/* MetroNet network view: devices and links laid out by the server, drawn by Leaflet on one canvas
 * (CRS.Simple: plain x/y units, no tiles), which keeps thousands of nodes and links fluid.
 *
 * Reads maps/network/ (same query string as the page) and sets on the drawing element data-state="ready",
 * data-nodes / data-edges = the number drawn and data-draw-ms = the time the drawing took.
 */
(function () {
  "use strict";

  const el = document.getElementById("metronet-network");
  if (!el || typeof L === "undefined") return;
  const cfg = JSON.parse(document.getElementById("metronet-network-config").textContent);
  const t = JSON.parse(document.getElementById("metronet-map-i18n").textContent);
  const statusLine = document.getElementById("topo-status");
  const note = document.getElementById("topo-live-note");
  const panel = document.getElementById("topo-panel-body");

  const renderer = L.canvas({ padding: 0.3, tolerance: 5 });
  const map = L.map(el, {
    crs: L.CRS.Simple, renderer, preferCanvas: true, minZoom: -6, maxZoom: 8, zoomSnap: 0.25,
    attributionControl: false,
  });
  map.setView([500, 500], 0);

  function esc(value) {
    return String(value == null ? "" : value).replace(/[&<>"']/g, (c) => (
      { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }
  function link(name, url) {
    return url ? `<a href="${esc(url)}">${esc(name)}</a>` : esc(name);
  }

  let highlighted = null;
  function highlight(layer, style) {
    if (highlighted) highlighted.layer.setStyle(highlighted.style);
    highlighted = layer ? { layer, style: { weight: layer.options.weight, color: layer.options.color } } : null;
    if (layer) layer.setStyle(style);
  }

  function showNode(n, layer) {
    highlight(layer, { weight: 5, color: "#000000" });
    panel.innerHTML = `<h3 class="h4 mb-1" id="topo-selected">${link(n.name, n.url)}</h3>
      <div>${esc(t.site)}: ${link(n.site, n.site_url)}</div>
      <div>${esc(t.role)}: ${esc(n.role_label)}</div>
      <div>${esc(t.status)}: <span style="color: ${esc(n.color)}">●</span> ${esc(n.status)}</div>
      <a class="btn btn-sm btn-primary mt-2" href="${esc(n.url)}">${esc(t.open)}</a>`;
  }

  function showEdge(e, layer) {
    highlight(layer, { weight: 6, color: "#000000" });
    const parts = [`<h3 class="h4 mb-1" id="topo-selected">${link(e.name, e.url)}</h3>`,
      `<div>${esc(e.kind === "fiber" ? t.fiber_path : t.patch)} · <span style="color: ${esc(e.color)}">●</span> ${esc(e.status)}</div>`];
    if (e.interfaces) {
      parts.push(`<div class="fw-bold mt-2">${esc(t.interfaces)}</div><ul class="metronet-panel-list">
        ${e.interfaces.map((i) => `<li>${link(i.name, i.url)}</li>`).join("")}</ul>`);
    }
    if (e.cables) {
      parts.push(`<div class="fw-bold mt-2">${esc(t.fiber_cables)}</div><ul class="metronet-panel-list">
        ${e.cables.map((c) => `<li>${link(c.name, c.url)}</li>`).join("")}</ul>`);
    }
    if (e.url) parts.push(`<a class="btn btn-sm btn-primary mt-2" href="${esc(e.url)}">${esc(t.open)}</a>`);
    panel.innerHTML = parts.join("");
  }

  function draw(data) {
    const started = performance.now();
    if (data.live && (data.live.state !== "ok" || data.live.note)) {
      note.textContent = data.live.state === "ok" ? data.live.note : `${t.live_unknown}: ${data.live.note}`;
      note.classList.remove("d-none");
      note.dataset.state = data.live.state;
    }
    if (data.errors && data.errors.length) {
      note.textContent = `${t.problems}: ${data.errors.slice(0, 5).join("; ")}`;
      note.classList.remove("d-none", "alert-secondary");
      note.classList.add("alert-danger");
    }
    const byId = new Map();
    for (const n of data.nodes) byId.set(n.id, n);
    const edgeLayer = L.layerGroup();
    const nodeLayer = L.layerGroup();
    let edges = 0;
    for (const e of data.edges) {
      const a = byId.get(e.a);
      const b = byId.get(e.b);
      if (!a || !b) continue;
      const line = L.polyline([[a.y, a.x], [b.y, b.x]], {
        renderer, color: e.color, weight: e.kind === "fiber" ? 2.5 : 1.5, opacity: 0.85,
        dashArray: e.kind === "fiber" ? null : "3 3", interactive: true,
      });
      line.on("click", (ev) => { L.DomEvent.stopPropagation(ev); showEdge(e, line); });
      edgeLayer.addLayer(line);
      edges += 1;
    }
    for (const n of data.nodes) {
      const marker = L.circleMarker([n.y, n.x], {
        renderer, radius: 5, color: n.role_color, weight: 2, fillColor: n.color, fillOpacity: 1,
      });
      marker.bindTooltip(esc(n.name));
      marker.on("click", (ev) => { L.DomEvent.stopPropagation(ev); showNode(n, marker); });
      nodeLayer.addLayer(marker);
    }
    edgeLayer.addTo(map);
    nodeLayer.addTo(map);
    if (data.nodes.length) {
      const ys = data.nodes.map((n) => n.y);
      const xs = data.nodes.map((n) => n.x);
      const pad = Math.max(5, (data.extent || 1000) / 50);
      map.fitBounds([[Math.min(...ys) - pad, Math.min(...xs) - pad], [Math.max(...ys) + pad, Math.max(...xs) + pad]]);
    }
    el.dataset.nodes = data.nodes.length;
    el.dataset.edges = edges;
    el.dataset.drawMs = Math.round(performance.now() - started);
    el.dataset.state = "ready";
    const s = data.counts.by_status || {};
    statusLine.textContent = `${t.drawn}: ${data.nodes.length} ${t.devices}, ${edges} ${t.links}`
      + ` (up ${s.up || 0}, down ${s.down || 0}, unknown ${s.unknown || 0}; ${el.dataset.drawMs} ms).`;
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
