/* netconsol topology page.
 * Every string from the inventory is data: it is read from the JSON element, drawn on the
 * canvas by vis-network, or put into the DOM with textContent.  Nothing here parses HTML.
 */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("netconsol-data").textContent);
  // record lists come packed (render/html.py pack_page_data): a shared string table, and per
  // list its keys, their kinds and one row of values per record
  (function unpack() {
    var S = D.strings;
    ["nodes", "edges", "sites", "districts"].forEach(function (name) {
      var p = D[name];
      if (!p || !p.rows) return;
      var keys = p.keys, kinds = p.kinds, nk = keys.length;
      D[name] = p.rows.map(function (row) {
        var r = {};
        for (var i = 0; i < nk; i++) {
          var v = row[i];
          if (v === null) continue;
          var kind = kinds[i];
          if (kind === "s") r[keys[i]] = S[v];
          else if (kind === "f") {
            var f = [];
            for (var j = 0; j < v.length; j += 2) f.push([S[v[j]], S[v[j + 1]]]);
            r[keys[i]] = f;
          } else if (kind === "n") r[keys[i]] = v[0];
          else r[keys[i]] = v;
        }
        return r;
      });
    });
    delete D.strings;
  })();
  var T = D.text;
  var OPT = D.options;
  var PAL = D.palette;

  // ---- the page's data: every node and edge of the graph (plus plan overlays) ----------------
  var data = { nodes: new vis.DataSet(D.nodes), edges: new vis.DataSet(D.edges) };
  var byId = new Map();
  D.nodes.forEach(function (n) { byId.set(n.id, n); });
  var siteById = new Map();
  D.sites.forEach(function (s) { siteById.set(s.id, s); });
  var distById = new Map();
  D.districts.forEach(function (d) { distById.set(d.id, d); });

  // ---- state ---------------------------------------------------------------------------------
  var state = {
    mode: (location.hash === "#proposed" && D.plan.available) ? "proposed" : "current",
    subnets: OPT.subnets,
    filters: { district: null, department: null, cls: null },
    openSites: new Set(), openDistricts: new Set()
  };
  var collapsible = OPT.collapsed;
  if (!collapsible) {
    D.sites.forEach(function (s) { state.openSites.add(s.id); });
    D.districts.forEach(function (d) { state.openDistricts.add(d.id); });
  }
  // the district's own site (its unit and district-level rows) opens with the district
  var ownSite = new Map();
  D.nodes.forEach(function (n) {
    if (n.type === "unit" && n.kind === "district" && n.site) ownSite.set(n.dist, n.site);
  });

  // ---- styles --------------------------------------------------------------------------------
  var TYPE = {
    device: { shape: "dot", size: 12 },
    network: { shape: "diamond", size: 16 },
    subnet: { shape: "square", size: 6 },
    exit: { shape: "triangle", size: 13 },
    unit: { shape: "hexagon", size: 11 },
    city: { shape: "box", size: 20 },
    district: { shape: "box", size: 16 },
    cluster: { shape: "dot", size: 18 },
    unified: { shape: "star", size: 22 }
  };
  var EDGE = {
    link: { color: "#46525e", width: 2 },
    // a candidate link is never drawn as a link: dashed, its own colour and legend entry
    candidate: { color: "#e8590c", width: 2, dashes: [8, 5] },
    address: { color: "#a9b4bf", width: 1 },
    member: { color: "#c9d3dc", width: 1, dashes: [2, 4] },
    exit: { color: "#2ca02c", width: 2 },
    located: { color: "#e1e6eb", width: 1 },
    owned: { color: "#e1e6eb", width: 1 },
    part_of: { color: "#d2d9e0", width: 1 },
    plan_merge: { color: "#1f77b4", width: 3, dashes: [10, 6] },
    plan_exit: { color: "#d4a017", width: 3, dashes: [10, 6] },
    agg: { color: "#9aa5b1", width: 1 }
  };
  var GREY = "#c3c9cf";

  function shade(hex, f) {
    var n = parseInt(hex.slice(1), 16);
    var r = Math.round(((n >> 16) & 255) * f), g = Math.round(((n >> 8) & 255) * f), b = Math.round((n & 255) * f);
    return "#" + ((1 << 24) | (r << 16) | (g << 8) | b).toString(16).slice(1);
  }
  function typeStyle(n) {
    if (n.unified) return TYPE.unified;
    if (n.type === "unit" && (n.kind === "city" || n.kind === "district")) return TYPE[n.kind];
    return TYPE[n.type] || TYPE.device;
  }
  // city and district names are map labels: sized by the area they name, so they read at
  // the zoom that shows the whole city
  function boxFont(n) {
    var d = distById.get(n.dist);
    if (n.kind === "city") return 90;
    return Math.round(Math.min(120, Math.max(16, d ? d.r * 0.12 : 16)));
  }
  function nodeStyle(n) {
    var ts = typeStyle(n);
    var fill = n.type === "unit" ? "#e4e9ee" : (PAL.cls[n.cls] || PAL.cls[""]);
    var border = shade(n.type === "unit" ? "#9aa5b1" : fill, 0.7);
    // only what differs from the defaults in options.nodes: vis parses every key of every node
    var s = { id: n.id, label: n.label, shape: ts.shape, size: ts.size };
    if (ts.shape === "box") s.font = { size: boxFont(n) };
    if (n.target || n.disposition || n.unified) {
      // restyled by the plan switch: vis keeps options an update leaves out, so state them all
      s.borderWidth = 1; s.opacity = 1; s.shapeProperties = { borderDashes: false };
      s.font = { size: ts.shape === "box" ? boxFont(n) : 12 };
    }
    if (state.mode === "proposed") {
      if (n.target) {
        var tc = PAL.target[n.target] || "#1f77b4";
        border = tc;
        s.borderWidth = n.type === "network" ? 5 : 3;
        if (n.type === "network") fill = tc;
      }
      if (n.disposition === "migrate" || n.disposition === "decommission") {
        fill = GREY; border = "#8a949e"; s.opacity = 0.6;
        s.shapeProperties = { borderDashes: [3, 3] };
        s.borderWidth = 2;
      }
      if (n.unified) { fill = "#ffd24d"; border = "#b8860b"; s.borderWidth = 3; s.font = { size: 15 }; }
    }
    s.color = { background: fill, border: border };
    return s;
  }
  function closingExit(id) {
    var n = byId.get(id);
    return !!(n && (n.disposition === "migrate" || n.disposition === "decommission"));
  }
  function edgeStyle(e) {
    var st = EDGE[e.type] || EDGE.located;
    var color = st.color, dashes = st.dashes || false, width = st.width;
    if (e.type === "plan_merge") color = PAL.target[e.target] || color;
    if (state.mode === "proposed" && (closingExit(e.from) || closingExit(e.to)) && e.type !== "plan_exit") {
      color = GREY; dashes = [4, 4];
    }
    var out = { id: e.id, from: e.from, to: e.to, color: { color: color } };
    if (width !== 1) out.width = width;
    if (dashes || closingExit(e.from) || closingExit(e.to)) out.dashes = dashes;
    return out;
  }

  // ---- tooltips: DOM built with textContent only ----------------------------------------------
  function tipElement(heading, rows) {
    var div = document.createElement("div");
    div.className = "nc-tip";
    var h = document.createElement("div");
    h.className = "nc-tip-title";
    h.textContent = heading;
    div.appendChild(h);
    var table = document.createElement("table");
    rows.forEach(function (r) {
      var tr = document.createElement("tr");
      var th = document.createElement("th");
      th.textContent = r[0];
      var td = document.createElement("td");
      td.textContent = r[1];
      tr.appendChild(th);
      tr.appendChild(td);
      table.appendChild(tr);
    });
    div.appendChild(table);
    return div;
  }
  function factLabel(k) { return T.facts[k] || k; }
  function nodeTip(n) {
    var rows = [[factLabel("type"), T.types[n.unified ? "unified" : n.type] || n.type], [factLabel("id"), n.id]];
    n.facts.forEach(function (f) { rows.push([factLabel(f[0]), f[1]]); });
    if (state.mode === "proposed") {
      if (n.target) rows.push([factLabel("target"), n.targetLabel || n.target]);
      if (n.disposition) rows.push([factLabel("disposition"), n.dispositionLabel || n.disposition]);
      if (n.targetSite) rows.push([factLabel("target_site"), n.targetSite]);
      (n.planFacts || []).forEach(function (f) { rows.push([factLabel(f[0]), f[1]]); });
    }
    return tipElement(n.label, rows);
  }
  function edgeTip(e) {
    var a = byId.get(e.from), b = byId.get(e.to);
    var rows = [[factLabel("type"), T.edges_legend[e.type] || e.type]];
    e.facts.forEach(function (f) { rows.push([factLabel(f[0]), f[1]]); });
    return tipElement((a ? a.label : e.from) + " — " + (b ? b.label : e.to), rows);
  }

  // ---- visibility, clusters ------------------------------------------------------------------
  function passes(n) {
    if (n.planOnly && state.mode !== "proposed") return false;
    if (n.type === "subnet" && !state.subnets) return false;
    var f = state.filters;
    if (f.district !== null && n.district !== f.district) return false;
    if (f.department !== null && n.department !== f.department) return false;
    if (f.cls !== null && n.cls !== f.cls) return false;
    return true;
  }
  function rep(n) {
    if (!n.dist) return n.id;
    if (!state.openDistricts.has(n.dist)) return "cluster:" + n.dist;
    if (n.site && !state.openSites.has(n.site)) return "cluster:" + n.site;
    return n.id;
  }
  function clusterNode(cid, members) {
    var key = cid.slice(8);
    var info = siteById.get(key) || distById.get(key);
    var counts = {};
    members.forEach(function (m) { counts[m.type] = (counts[m.type] || 0) + 1; });
    var rows = Object.keys(counts).sort().map(function (t) { return [T.types[t] || t, String(counts[t])]; });
    var isDistrict = distById.has(key);
    // drawn about as large as the area it stands for, so it reads at the zoom that shows it
    var size = Math.max(TYPE.cluster.size, (info.r || 0) * (isDistrict ? 0.35 : 0.6));
    return {
      node: { id: cid, label: info.label + " (" + members.length + ")", shape: "dot", size: size,
              borderWidth: 2, font: { size: Math.max(14, size * (isDistrict ? 0.45 : 0.5)) },
              shapeProperties: { borderDashes: [6, 3] },
              color: { background: isDistrict ? "#d6e4f0" : "#e8eef4", border: "#5b7a99" } },
      tip: function () {
        return tipElement(info.label + " — " + T.types.cluster, rows.concat([[T.members, String(members.length)]]));
      },
      x: info.x, y: info.y
    };
  }

  // ---- the vis view --------------------------------------------------------------------------
  var shown = { nodes: new vis.DataSet(), edges: new vis.DataSet() };
  var sig = new Map();        // id -> style signature of what is shown
  var pos = new Map();        // id -> last position of a node taken off the view
  var tipCache = new Map();   // id + mode -> tooltip element
  var shownTip = new Map();   // id of a shown node or edge -> its tooltip element
  // Tooltips are filled when first hovered: an empty element per node is cheap, a full one
  // for each of 10,000 nodes is not.  vis-network shows the element itself, by reference.
  var pending = new WeakMap();
  function lazyTip(make) {
    var el = document.createElement("div");
    pending.set(el, make);
    return el;
  }
  function fillTip(el) {
    var make = el && pending.get(el);
    if (!make) return;
    pending.delete(el);
    var full = make();
    el.className = full.className;
    while (full.firstChild) el.appendChild(full.firstChild);
  }
  function cachedTip(key, make) {
    var k = state.mode + "\u0000" + key;
    var t = tipCache.get(k);
    if (!t) { t = lazyTip(make); tipCache.set(k, t); }
    return t;
  }

  var visibleCount = { nodes: 0, edges: 0, links: 0, candidates: 0 };
  // With physics off, vis-network redraws synchronously on every DataSet change: hold the
  // redraws while refresh() edits both sets, then draw once.
  function refresh() {
    var hold = network && network.body && network.body.emitter;
    if (hold) network.body.emitter.emit("_blockRedraw");
    try {
      update();
    } finally {
      if (hold) {
        network.body.emitter.emit("_allowRedraw");
        network.redraw();
      }
    }
  }
  function update() {
    var want = new Map();       // id -> display object (without position/title)
    var tips = new Map();
    var where = new Map();
    var members = new Map();
    var repOf = new Map();
    D.nodes.forEach(function (n) {
      if (!passes(n)) return;
      var r = rep(n);
      repOf.set(n.id, r);
      if (r === n.id) {
        want.set(n.id, nodeStyle(n));
        where.set(n.id, [n.x, n.y]);
        tips.set(n.id, (function (node) { return function () { return nodeTip(node); }; })(n));
      } else {
        if (!members.has(r)) members.set(r, []);
        members.get(r).push(n);
      }
    });
    members.forEach(function (ms, cid) {
      var c = clusterNode(cid, ms);
      want.set(cid, c.node);
      where.set(cid, [c.x, c.y]);
      tips.set(cid, c.tip);
    });
    var wantEdges = new Map();
    var agg = new Map();
    var kinds = { link: 0, candidate: 0 };
    D.edges.forEach(function (e) {
      if (e.planOnly && state.mode !== "proposed") return;
      var ra = repOf.get(e.from), rb = repOf.get(e.to);
      if (ra === undefined || rb === undefined) return;
      if (e.type in kinds) kinds[e.type] += 1;   // both ends pass the filters, clustered or not
      if (ra === rb) return;
      if (ra === e.from && rb === e.to) {
        wantEdges.set(e.id, e);
        return;
      }
      // candidates between clusters stay apart from the other edges they would be summed with
      var cand = e.type === "candidate";
      var a = ra < rb ? ra : rb, b = ra < rb ? rb : ra;
      var key = JSON.stringify(cand ? [a, b, 1] : [a, b]);
      var g = agg.get(key);
      if (!g) { g = { id: "agg:" + key, from: a, to: b, count: 0, candidate: cand }; agg.set(key, g); }
      g.count += 1;
    });

    // nodes: remove, add, update
    var removeIds = [];
    shown.nodes.getIds().forEach(function (id) { if (!want.has(id)) removeIds.push(id); });
    if (removeIds.length) {
      if (network) {
        var p = network.getPositions(removeIds);
        Object.keys(p).forEach(function (id) { pos.set(id, [p[id].x, p[id].y]); });
      }
      shown.nodes.remove(removeIds);
      removeIds.forEach(function (id) { sig.delete(id); });
    }
    var adds = [], updates = [];
    want.forEach(function (obj, id) {
      var s = JSON.stringify(obj);
      var make = tips.get(id);
      if (!sig.has(id)) {
        var at = pos.get(id) || where.get(id);
        obj.x = at[0]; obj.y = at[1];
        obj.title = id.indexOf("cluster:") === 0 ? lazyTip(make) : cachedTip(id, make);
        adds.push(obj);
      } else if (sig.get(id) !== s) {
        obj.title = id.indexOf("cluster:") === 0 ? lazyTip(make) : cachedTip(id, make);
        updates.push(obj);
      } else {
        return;
      }
      shownTip.set(id, obj.title);
      sig.set(id, s);
    });
    if (adds.length) shown.nodes.add(adds);
    if (updates.length) shown.nodes.update(updates);

    // edges
    var edgeWant = new Map();
    wantEdges.forEach(function (e, id) { edgeWant.set(id, edgeStyle(e)); });
    agg.forEach(function (g) {
      var o = { id: g.id, from: g.from, to: g.to, width: Math.min(8, 1 + Math.log2(g.count)),
                color: { color: g.candidate ? EDGE.candidate.color : EDGE.agg.color }, _count: g.count };
      if (g.candidate) { o.dashes = EDGE.candidate.dashes; o._candidate = true; }
      edgeWant.set(g.id, o);
    });
    var removeEdges = [];
    shown.edges.getIds().forEach(function (id) { if (!edgeWant.has(id)) removeEdges.push(id); });
    if (removeEdges.length) {
      shown.edges.remove(removeEdges);
      removeEdges.forEach(function (id) { sig.delete("\u0001" + id); });
    }
    var eAdds = [], eUpdates = [];
    edgeWant.forEach(function (obj, id) {
      var s = JSON.stringify(obj);
      var k = "\u0001" + id;
      if (sig.get(k) === s) return;
      var isNew = !sig.has(k);
      if (obj._count !== undefined) {
        var c = obj._count, heading = obj._candidate ? T.edges_legend.agg_candidate : T.aggregated;
        obj.title = lazyTip(function () { return tipElement(heading, [[T.edges, String(c)]]); });
        delete obj._count;
        delete obj._candidate;
      } else {
        var e = wantEdges.get(id);
        obj.title = cachedTip(id, function () { return edgeTip(e); });
      }
      shownTip.set("\u0001" + id, obj.title);
      (isNew ? eAdds : eUpdates).push(obj);
      sig.set(k, s);
    });
    if (eAdds.length) shown.edges.add(eAdds);
    if (eUpdates.length) shown.edges.update(eUpdates);
    visibleCount.nodes = want.size;
    visibleCount.edges = edgeWant.size;
    visibleCount.links = kinds.link;
    visibleCount.candidates = kinds.candidate;
    status();
  }

  function status() {
    var el = document.getElementById("status");
    el.textContent = T.shown + " " + visibleCount.nodes + " " + T.of + " " + D.nodes.filter(function (n) {
      return !n.planOnly || state.mode === "proposed";
    }).length + " " + T.nodes + ", " + visibleCount.edges + " " + T.edges + "; " + T.links + " " +
      visibleCount.links + ", " + T.candidates + " " + visibleCount.candidates;
    document.getElementById("cluster-hint").hidden = !Array.from(shown.nodes.getIds()).some(function (id) {
      return id.indexOf("cluster:") === 0;
    });
  }

  // ---- controls ------------------------------------------------------------------------------
  function fillSelect(sel, values) {
    var all = document.createElement("option");
    all.value = "\u0000all";
    all.textContent = T.all;
    sel.appendChild(all);
    values.forEach(function (v) {
      var o = document.createElement("option");
      o.value = v[0];
      o.textContent = v[1];
      sel.appendChild(o);
    });
    sel.addEventListener("change", function () {
      state.filters[sel.dataset.key] = sel.value === "\u0000all" ? null : sel.value;
      refresh();
    });
  }
  fillSelect(document.getElementById("filter-district"), D.filters.district);
  fillSelect(document.getElementById("filter-department"), D.filters.department);
  fillSelect(document.getElementById("filter-cls"), D.filters.cls);
  var subnetBox = document.getElementById("subnets");
  subnetBox.checked = state.subnets;
  subnetBox.addEventListener("change", function () { state.subnets = subnetBox.checked; refresh(); });
  Array.prototype.forEach.call(document.querySelectorAll("input[name=mode]"), function (r) {
    r.checked = r.value === state.mode;
    r.addEventListener("change", function () { if (r.checked) setMode(r.value); });
  });
  function setMode(mode) {
    state.mode = mode === "proposed" && D.plan.available ? "proposed" : "current";
    Array.prototype.forEach.call(document.querySelectorAll("input[name=mode]"), function (r) {
      r.checked = r.value === state.mode;
    });
    refresh();
    legend();
  }
  function expandAll() {
    D.sites.forEach(function (s) { state.openSites.add(s.id); });
    D.districts.forEach(function (d) { state.openDistricts.add(d.id); });
    refresh();
  }
  function collapseAll() {
    state.openSites.clear();
    state.openDistricts.clear();
    refresh();
  }
  document.getElementById("expand-all").addEventListener("click", expandAll);
  document.getElementById("collapse-all").addEventListener("click", collapseAll);
  document.getElementById("fit").addEventListener("click", function () { network.fit({ animation: false }); });

  var names = document.getElementById("search-names");
  var seen = new Set();
  D.nodes.forEach(function (n) {
    if (seen.has(n.label)) return;
    seen.add(n.label);
    var o = document.createElement("option");
    o.value = n.label;
    names.appendChild(o);
  });

  var lastSearch = { q: null, hits: [], i: 0 };
  function search(q) {
    q = String(q || "").trim();
    var out = document.getElementById("search-result");
    if (!q) { out.textContent = ""; return null; }
    var hits;
    if (lastSearch.q === q && lastSearch.hits.length) {
      lastSearch.i = (lastSearch.i + 1) % lastSearch.hits.length;
      hits = lastSearch.hits;
    } else {
      var lq = q.toLowerCase();
      var exact = [], part = [];
      D.nodes.forEach(function (n) {
        if (n.planOnly && state.mode !== "proposed") return;
        var l = n.label.toLowerCase(), id = n.id.toLowerCase();
        if (l === lq || id === lq) exact.push(n.id);
        else if (l.indexOf(lq) >= 0 || id.indexOf(lq) >= 0 || n.facts.some(function (f) {
          return f[0] === "addresses" && f[1].toLowerCase().indexOf(lq) >= 0;
        })) part.push(n.id);
      });
      hits = exact.concat(part);
      lastSearch = { q: q, hits: hits, i: 0 };
    }
    if (!hits.length) { out.textContent = T.no_match + ": " + q; return null; }
    var id = hits[lastSearch.i];
    var note = reveal(id) ? " — " + T.hidden_note : "";
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.2), animation: false });
    var n = byId.get(id);
    out.textContent = (lastSearch.i + 1) + " / " + hits.length + " " + T.match + ": " + n.label + note;
    return id;
  }
  // make node id visible: reset filters that hide it, open its district and site
  function reveal(id) {
    var n = byId.get(id);
    var reset = false;
    if (!passes(n)) {
      ["district", "department", "cls"].forEach(function (k) {
        state.filters[k] = null;
        document.getElementById("filter-" + k).value = "\u0000all";
      });
      if (n.type === "subnet") { state.subnets = true; subnetBox.checked = true; }
      reset = true;
    }
    if (n.dist) state.openDistricts.add(n.dist);
    if (n.dist && ownSite.has(n.dist)) state.openSites.add(ownSite.get(n.dist));
    if (n.site) state.openSites.add(n.site);
    refresh();
    return reset;
  }
  var searchBox = document.getElementById("search");
  searchBox.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { ev.preventDefault(); search(searchBox.value); }
  });
  document.getElementById("find").addEventListener("click", function () { search(searchBox.value); });

  // ---- legend (DOM, textContent) -------------------------------------------------------------
  function legendItem(box, swClass, colour, text, border) {
    var item = document.createElement("div");
    item.className = "item";
    var sw = document.createElement("span");
    sw.className = "sw " + swClass;
    if (swClass.indexOf("triangle") >= 0) sw.style.borderBottomColor = colour;
    else if (swClass.indexOf("line") >= 0) sw.style.borderTopColor = colour;
    else if (swClass.indexOf("star") >= 0) { sw.textContent = "\u2605"; sw.style.color = colour; }
    else sw.style.backgroundColor = colour;
    if (border) sw.style.borderColor = border;
    var label = document.createElement("span");
    label.textContent = text;
    item.appendChild(sw);
    item.appendChild(label);
    box.appendChild(item);
    return item;
  }
  function sub(box, text) {
    var h = document.createElement("div");
    h.className = "sub";
    h.textContent = text;
    box.appendChild(h);
  }
  function legend() {
    var box = document.getElementById("legend");
    while (box.firstChild) box.removeChild(box.firstChild);
    sub(box, T.class);
    var used = new Set(D.nodes.map(function (n) { return n.cls; }));
    Object.keys(PAL.cls).forEach(function (c) {
      if (used.has(c)) legendItem(box, "dot", PAL.cls[c], T.classes[c] || c);
    });
    sub(box, T.shapes);
    var types = [["device", "dot"], ["network", "diamond"], ["subnet", "square"], ["exit", "triangle"],
                 ["unit", "hexagon"], ["cluster", "ring"]];
    types.forEach(function (t) { legendItem(box, t[1], t[0] === "exit" ? "#2ca02c" : "#b8c2cc", T.types[t[0]]); });
    legendItem(box, "box", "#e4e9ee", D.districts.length ? T.district : T.types.unit);
    sub(box, T.edges);
    var edgeKinds = [["link", ""], ["address", ""], ["member", " dashed"], ["exit", ""], ["located", ""]];
    if (D.figures.candidates) edgeKinds.splice(1, 0, ["candidate", " dashed"]);
    edgeKinds.forEach(function (e) {
      var item = legendItem(box, "line" + e[1], EDGE[e[0]].color, T.edges_legend[e[0] === "located" ? "structure" : e[0]]);
      item.setAttribute("data-edge", e[0]);
    });
    if (state.mode === "proposed") {
      sub(box, T.proposed);
      Object.keys(PAL.target).sort().forEach(function (t) {
        legendItem(box, "ring", "#ffffff", T.facts.target + ": " + (D.plan.targetLabels[t] || t), PAL.target[t]);
      });
      legendItem(box, "line dashed", EDGE.plan_merge.color, T.edges_legend.plan_merge);
      legendItem(box, "triangle", GREY, T.edges_legend.closing);
      legendItem(box, "star", "#d4a017", T.types.unified);
      legendItem(box, "line dashed", EDGE.plan_exit.color, T.edges_legend.plan_exit);
    }
  }

  // ---- the network ---------------------------------------------------------------------------
  var network = null;
  refresh();
  var big = OPT.big;
  var options = {
    autoResize: true,
    layout: { improvedLayout: false, randomSeed: 7 },
    physics: OPT.physics ? {
      enabled: true, solver: "barnesHut",
      barnesHut: { gravitationalConstant: -2500, springLength: 70, springConstant: 0.04, avoidOverlap: 0.1 },
      stabilization: { enabled: true, iterations: 250, updateInterval: 50, fit: true }
    } : { enabled: false },
    interaction: { hover: true, tooltipDelay: 150, hideEdgesOnDrag: big, hideEdgesOnZoom: big, multiselect: false },
    nodes: { borderWidth: 1, font: { size: 12, face: "system-ui, sans-serif" },
             scaling: { label: { drawThreshold: 7 } } },
    edges: { smooth: false, width: 1, selectionWidth: 1, hoverWidth: 0.5 }
  };
  network = new vis.Network(document.getElementById("graph"), shown, options);
  if (OPT.physics) {
    network.once("stabilizationIterationsDone", function () { network.setOptions({ physics: { enabled: false } }); });
  } else {
    network.fit({ animation: false });
  }
  network.on("hoverNode", function (p) { fillTip(shownTip.get(p.node)); });
  network.on("hoverEdge", function (p) { fillTip(shownTip.get("\u0001" + p.edge)); });
  function openCluster(id) {
    if (id.indexOf("cluster:") !== 0) return false;
    var key = id.slice(8);
    if (distById.has(key)) {
      state.openDistricts.add(key);
      if (ownSite.has(key)) state.openSites.add(ownSite.get(key));
    } else if (siteById.has(key)) {
      state.openSites.add(key);
    } else {
      return false;
    }
    refresh();
    return true;
  }
  network.on("click", function (p) {
    if (p.nodes.length === 1) openCluster(p.nodes[0]);
  });
  network.on("doubleClick", function (p) {
    if (p.nodes.length !== 1) return;
    var n = byId.get(p.nodes[0]);
    if (!n || !n.dist) return;
    if (n.site && ownSite.get(n.dist) !== n.site) state.openSites.delete(n.site);
    else state.openDistricts.delete(n.dist);
    refresh();
  });
  network.once("afterDrawing", function () {
    window.netconsolFirstDraw = performance.now();
    window.netconsolReady = true;
    document.body.setAttribute("data-ready", "1");
  });
  legend();

  window.netconsol = {
    data: data, shown: shown, network: network, state: state, refresh: refresh, search: search,
    setMode: setMode, expandAll: expandAll, collapseAll: collapseAll, reveal: reveal, openCluster: openCluster
  };
})();
