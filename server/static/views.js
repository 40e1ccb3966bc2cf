/* The chart view (Chart.js) and the network view (Cytoscape.js) of SELECT results.
   Chart: a label column on x, a numeric column as value, an optional series column (e.g. the
   unit, so 亿元 and % are not drawn as one series). Network: two IRI columns as the ends of
   an edge and an optional numeric weight (e.g. agencies co-assigned to tasks, weighted by
   how many). window.Views = {chart(container, data, labels), network(...), columns(data)}. */
(function () {
  "use strict";
  var t = function (k, v) { return window.I18N.t(k, v); };
  var R = window.Results;
  var PALETTE = ["#0b5cad", "#d9534f", "#2e8b57", "#e69f00", "#6a3d9a", "#008b8b", "#b15928",
    "#c71585", "#556b2f", "#4682b4"];

  /* Which columns hold numbers, which IRIs, which anything else. */
  function columns(data) {
    var kinds = {};
    data.vars.forEach(function (v) {
      var n = 0, iri = 0, filled = 0;
      data.rows.forEach(function (row) {
        var term = row[v];
        if (!term) return;
        filled += 1;
        if (R.number(term) !== null) n += 1;
        if (term.type === "uri") iri += 1;
      });
      kinds[v] = filled && n === filled ? "number" : filled && iri === filled ? "iri" : "text";
    });
    return kinds;
  }

  function select(labelKey, vars, chosen, allowNone) {
    var wrap = document.createElement("label");
    wrap.textContent = t(labelKey) + " ";
    var s = document.createElement("select");
    s.dataset.role = labelKey;
    if (allowNone) vars = [""].concat(vars);
    vars.forEach(function (v) {
      var o = document.createElement("option");
      o.value = v;
      o.textContent = v ? "?" + v : t("none");
      if (v === chosen) o.selected = true;
      s.appendChild(o);
    });
    wrap.appendChild(s);
    return { el: wrap, select: s };
  }

  function message(container, key) {
    var p = document.createElement("p");
    p.className = "view-message";
    p.textContent = t(key);
    container.replaceChildren(p);
  }

  /* ------------------------------------------------------------------ chart */
  function chart(container, data, labels) {
    var kinds = columns(data);
    var numeric = data.vars.filter(function (v) { return kinds[v] === "number"; });
    if (!numeric.length) { message(container, "no_numeric"); return null; }
    var others = data.vars.filter(function (v) { return kinds[v] !== "number"; });
    var xs = others.length ? others : data.vars;
    var x = select("x_axis", xs, xs[0]);
    var y = select("y_axis", numeric, numeric[0]);
    var series = select("series", others, others.filter(function (v) {
      return v !== xs[0] && /unit|单位/i.test(v);  // 亿元 and % apart by default
    })[0] || "", true);
    var kind = document.createElement("label");
    kind.textContent = t("kind") + " ";
    var kindSelect = document.createElement("select");
    kindSelect.dataset.role = "kind";
    ["bar", "line"].forEach(function (k) {
      var o = document.createElement("option");
      o.value = k;
      o.textContent = t(k);
      kindSelect.appendChild(o);
    });
    kind.appendChild(kindSelect);
    var note = document.createElement("span");
    note.className = "hint";
    note.textContent = t("sum_note");
    var bar = document.createElement("div");
    bar.className = "view-bar";
    bar.append(x.el, y.el, series.el, kind, note);
    var box = document.createElement("div");
    box.className = "chart-box";
    var canvas = document.createElement("canvas");
    canvas.id = "chart-canvas";
    box.appendChild(canvas);
    container.replaceChildren(bar, box);
    var instance = null;

    function draw() {
      var xv = x.select.value, yv = y.select.value, sv = series.select.value;
      var order = [], groups = [], sums = {};
      data.rows.forEach(function (row) {
        var value = R.number(row[yv]);
        if (value === null) return;
        var key = R.text(row[xv], labels) || "—";
        var group = sv ? R.text(row[sv], labels) || "—" : yv;
        if (order.indexOf(key) < 0) order.push(key);
        if (groups.indexOf(group) < 0) groups.push(group);
        sums[group + "\u0000" + key] = (sums[group + "\u0000" + key] || 0) + value;
      });
      var datasets = groups.map(function (g, i) {
        return {
          label: sv ? g : "?" + yv,
          data: order.map(function (k) {
            var s = sums[g + "\u0000" + k];
            return s === undefined ? null : s;
          }),
          backgroundColor: PALETTE[i % PALETTE.length],
          borderColor: PALETTE[i % PALETTE.length],
          spanGaps: true, skipNull: true
        };
      });
      if (instance) instance.destroy();
      instance = new window.Chart(canvas, {
        type: kindSelect.value,
        data: { labels: order, datasets: datasets },
        options: {
          animation: false, responsive: true, maintainAspectRatio: false,
          plugins: { legend: { display: datasets.length > 1 || !!sv } },
          scales: { x: { ticks: { autoSkip: false, maxRotation: 60 } } }
        }
      });
      container.dataset.points = String(order.length);
    }
    [x.select, y.select, series.select, kindSelect].forEach(function (s) {
      s.addEventListener("change", draw);
    });
    draw();
    return { destroy: function () { if (instance) instance.destroy(); } };
  }

  /* ------------------------------------------------------------------ network */
  function network(container, data, labels) {
    var kinds = columns(data);
    var ends = data.vars.filter(function (v) { return kinds[v] === "iri"; });
    if (ends.length < 2) { message(container, "no_network"); return null; }
    var numeric = data.vars.filter(function (v) { return kinds[v] === "number"; });
    var source = select("source", ends, ends[0]);
    var target = select("target", ends, ends[1]);
    var weight = select("weight", numeric, numeric[0] || "", true);
    var note = document.createElement("span");
    note.className = "hint network-note";
    var bar = document.createElement("div");
    bar.className = "view-bar";
    bar.append(source.el, target.el, weight.el, note);
    var box = document.createElement("div");
    box.className = "network-box";
    box.id = "network";
    var info = document.createElement("div");
    info.className = "network-info";
    container.replaceChildren(bar, box, info);
    var cy = null;

    function draw() {
      var sv = source.select.value, tv = target.select.value, wv = weight.select.value;
      var nodes = new Map(), edges = new Map();
      data.rows.forEach(function (row) {
        var a = row[sv], b = row[tv];
        if (!a || !b || a.type !== "uri" || b.type !== "uri") return;
        var w = wv ? R.number(row[wv]) || 0 : 1;
        [a, b].forEach(function (term) {
          var node = nodes.get(term.value);
          if (!node) {
            node = { id: term.value, label: R.text(term, labels), degree: 0 };
            nodes.set(term.value, node);
          }
          node.degree += w;
        });
        var key = a.value + " " + b.value;
        var edge = edges.get(key) || { source: a.value, target: b.value, weight: 0 };
        edge.weight += w;
        edges.set(key, edge);
      });
      var maxDegree = 1, maxWeight = 1;
      nodes.forEach(function (n) { maxDegree = Math.max(maxDegree, n.degree); });
      edges.forEach(function (e) { maxWeight = Math.max(maxWeight, e.weight); });
      var elements = [];
      nodes.forEach(function (n) {
        elements.push({ data: { id: n.id, label: n.label, degree: n.degree,
                                size: 14 + 36 * Math.sqrt(n.degree / maxDegree),
                                font: 7 + 7 * Math.sqrt(n.degree / maxDegree) } });
      });
      var i = 0;
      edges.forEach(function (e) {
        elements.push({ data: { id: "e" + (i++), source: e.source, target: e.target,
                                weight: e.weight, width: 1 + 7 * e.weight / maxWeight } });
      });
      if (cy) cy.destroy();
      cy = window.cytoscape({
        container: box,
        elements: elements,
        style: [
          { selector: "node", style: {
            "background-color": "#0b5cad", width: "data(size)", height: "data(size)",
            label: "data(label)", "font-size": "data(font)", "min-zoomed-font-size": 9, color: "#1d232a", "text-valign": "bottom",
            "text-margin-y": 3, "text-wrap": "ellipsis", "text-max-width": 140,
            "text-background-color": "#fbfcfd", "text-background-opacity": 0.75,
            "font-family": "Noto Sans CJK SC, WenQuanYi Zen Hei, sans-serif" } },
          { selector: "edge", style: {
            width: "data(width)", "line-color": "#9db4cc", opacity: 0.8,
            "curve-style": "haystack" } },
          { selector: "node:selected", style: { "background-color": "#d9534f" } },
          { selector: ".faded", style: { opacity: 0.12 } },
          { selector: "edge.near", style: { "line-color": "#d9534f", opacity: 1 } }
        ],
        layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: 9000,
                  idealEdgeLength: 90, numIter: 1500 }
      });
      note.textContent = t("network_note", { n: nodes.size, e: edges.size });
      container.dataset.nodes = String(nodes.size);
      container.dataset.edges = String(edges.size);
      cy.on("tap", function (evt) {  // the background: everything back
        if (evt.target === cy) cy.elements().removeClass("faded near");
      });
      cy.on("tap", "node", function (evt) {
        var n = evt.target;
        var near = n.closedNeighborhood();
        cy.elements().addClass("faded").removeClass("near");
        near.removeClass("faded");
        near.edges().addClass("near");
        var a = document.createElement("a");
        a.href = R.localHref(n.id());
        a.textContent = t("open_page");
        var strong = document.createElement("strong");
        strong.textContent = n.data("label");
        var iri = document.createElement("code");
        iri.textContent = n.id();
        info.replaceChildren(strong, document.createTextNode(" · " + t("degree") + " " +
          n.data("degree") + " · "), a, document.createElement("br"), iri);
      });
      cy.on("dbltap", "node", function (evt) {
        window.location.href = R.localHref(evt.target.id());
      });
      window.queryPage && (window.queryPage.cy = cy);
    }
    [source.select, target.select, weight.select].forEach(function (s) {
      s.addEventListener("change", draw);
    });
    draw();
    return { destroy: function () { if (cy) cy.destroy(); } };
  }

  window.Views = { chart: chart, network: network, columns: columns };
})();
