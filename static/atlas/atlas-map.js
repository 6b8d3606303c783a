/*
 * The atlas's map client, loaded once by the map iframe (streamlit-folium) from the app itself.
 *
 * The map iframe stays alive across reruns. Its boundary layers (neighbouring countries,
 * provinces, border regions) are fetched once from the app's static files, never sent over the
 * websocket again. Each rerun sends one small "view" (see geo/render/maps.py, view_layer): the colours
 * and tooltip texts of the provinces and border regions, the incident markers or grid cells, the
 * cross-border arrows and the legend. atlasMap.update() redraws those in place, so the user's pan,
 * zoom and layer toggles survive a change of quarter or filter.
 *
 * Every text that came from data was escaped on the server (html.escape) before it reached a
 * view; boundary names from the static files are escaped here.
 */
(function () {
  "use strict";

  function escapeHtml(text) {
    const span = document.createElement("span");
    span.textContent = text == null ? "" : String(text);
    return span.innerHTML;
  }

  function assetUrl(path) {
    // Relative to the iframe page (…/component/<name>/index.html), so it also works under a
    // server.baseUrlPath behind a proxy.
    return new URL(path, document.baseURI).href;
  }

  const state = {
    map: null,
    options: null,
    layers: {},        // boundary layers by name: neighbours, provinces, border_regions
    groups: {},        // persistent overlay groups: incidents, strikes
    legend: null,
    ready: null,       // a promise: every boundary layer fetched and drawn
    pending: null,     // the newest view, applied once the boundaries are drawn
    drawn: 0,
  };

  function tooltipOf(layer) {
    return function () { return layer._atlasTip || ""; };
  }

  // Boundaries sit in panes under Leaflet's overlay pane (z-index 400), so the incident markers
  // and arrows drawn later stay on top and clickable.
  const PANES = { neighbours: 340, provinces: 350, border_regions: 360 };

  function boundaryLayer(name, data) {
    const styles = state.options.styles;
    const home = state.options.home;
    const pane = state.map.createPane("atlas-" + name);
    pane.style.zIndex = PANES[name];
    const layer = L.geoJSON(data, {
      pane: "atlas-" + name,
      style: function (feature) {
        if (name === "neighbours") {
          return feature.properties.id === home ? styles.home : styles.neighbour;
        }
        return name === "provinces" ? styles.province : styles.border;
      },
      onEachFeature: function (feature, sub) {
        sub._atlasName = escapeHtml(feature.properties.name);
        sub._atlasTip = "<b>" + sub._atlasName + "</b>";
        sub.bindTooltip(tooltipOf(sub), { sticky: true });
      },
    });
    return layer;
  }

  function loadBoundaries() {
    const files = state.options.boundaries;
    const names = ["neighbours", "provinces", "border_regions"];
    return Promise.all(names.map(function (name) {
      return fetch(assetUrl(files[name])).then(function (response) {
        if (!response.ok) { throw new Error("boundary file " + files[name] + ": HTTP " + response.status); }
        return response.json();
      });
    })).then(function (datasets) {
      names.forEach(function (name, index) {
        state.layers[name] = boundaryLayer(name, datasets[index]);
      });
      state.layers.neighbours.addTo(state.map);
      state.layers.provinces.addTo(state.map);
      state.layers.border_regions.addTo(state.map);
    });
  }

  function addControls(options) {
    state.groups.incidents = L.featureGroup().addTo(state.map);
    state.groups.strikes = L.featureGroup().addTo(state.map);
    const control = L.control.layers(null, {}, { collapsed: false }).addTo(state.map);
    state.control = control;
    control.addOverlay(state.groups.incidents, escapeHtml(options.names.incidents));
    control.addOverlay(state.groups.strikes, escapeHtml(options.names.strikes));

    const Legend = L.Control.extend({
      onAdd: function () {
        const div = L.DomUtil.create("div", "atlas-legend leaflet-control");
        L.DomEvent.disableClickPropagation(div);
        return div;
      },
    });
    state.legend = new Legend({ position: "bottomleft" }).addTo(state.map);
    if (options.key) {
      const key = L.control({ position: "bottomright" });
      key.onAdd = function () {
        const div = L.DomUtil.create("div", "atlas-key leaflet-control");
        div.innerHTML = options.key;
        return div;
      };
      key.addTo(state.map);
    }
  }

  function restyle(layer, values, styles, colourless) {
    // values: {region id: [fill colour or null, tooltip html]}; regions absent get the plain style.
    layer.eachLayer(function (sub) {
      const value = values ? values[sub.feature.properties.id] : undefined;
      if (value === undefined) {
        sub.setStyle(styles.plain);
        sub._atlasTip = "<b>" + sub._atlasName + "</b>";
        return;
      }
      const colour = value[0];
      sub.setStyle(colour === null ? colourless : Object.assign({}, styles.filled, { fillColor: colour }));
      sub._atlasTip = "<b>" + sub._atlasName + "</b><br>" + value[1];
    });
  }

  function drawMarkers(group, markers) {
    const colours = state.options.colours;
    markers.forEach(function (m) {
      // [lat, lon, radius, colour index, hollow, tooltip html, popup html]
      const colour = colours[m[3]];
      L.circleMarker([m[0], m[1]], {
        radius: m[2], color: colour, fillColor: colour, weight: 2,
        fillOpacity: m[4] ? 0 : 0.7, dashArray: m[4] ? "3 3" : null,
      }).bindTooltip(m[5]).bindPopup(m[6], { maxWidth: 380 }).addTo(group);
    });
  }

  function drawCells(group, cells) {
    // [lat, lon, radius, tooltip text]; one circle per grid cell of many incidents. Drawn on one
    // canvas: a thousand SVG circles cost the first paint more than the data behind them.
    const colour = state.options.colours[0];
    state.canvas = state.canvas || L.canvas({ padding: 0.2 });
    cells.forEach(function (c) {
      L.circleMarker([c[0], c[1]], {
        radius: c[2], color: colour, fillColor: colour, weight: 1, fillOpacity: 0.6, renderer: state.canvas,
      }).bindTooltip(c[3]).addTo(group);
    });
  }

  function drawArrows(group, arrows) {
    const colour = state.options.strike_colour;
    arrows.forEach(function (a) {
      // [start [lat, lon], end [lat, lon], head [[lat, lon] x3], tooltip html, popup html]
      L.polyline([a[0], a[1]], { color: colour, weight: 3, dashArray: "8 5" }).bindTooltip(a[3]).addTo(group);
      L.polygon(a[2], { color: colour, fillColor: colour, fillOpacity: 1, weight: 1 })
        .bindTooltip(a[3]).bindPopup(a[4], { maxWidth: 360 }).addTo(group);
    });
  }

  function apply(view) {
    const styles = state.options.styles;
    restyle(state.layers.provinces, view.provinces, { plain: styles.province, filled: styles.province_filled },
      styles.no_data);
    restyle(state.layers.border_regions, view.border_regions, { plain: styles.border, filled: styles.border_filled },
      styles.border);
    state.groups.incidents.clearLayers();
    state.groups.strikes.clearLayers();
    drawMarkers(state.groups.incidents, view.markers || []);
    drawCells(state.groups.incidents, view.cells || []);
    drawArrows(state.groups.strikes, view.arrows || []);
    const legend = state.legend.getContainer();
    legend.innerHTML = view.legend || "";
    legend.setAttribute("data-period", view.period || "");
    state.drawn += 1;
    document.body.setAttribute("data-atlas-drawn", (view.period || "") + ":" + state.drawn);
  }

  window.atlasMap = {
    init: function (map, options) {
      state.map = map;
      state.options = options;
      addControls(options);
      state.ready = loadBoundaries().then(function () {
        state.control.addOverlay(state.layers.border_regions, escapeHtml(options.names.border_regions));
      }).catch(function (error) {
        document.body.setAttribute("data-atlas-error", String(error));
        throw error;
      });
    },
    update: function (view) {
      state.pending = view;
      state.ready.then(function () {
        if (state.pending === view) { apply(view); }
      });
    },
  };
})();
