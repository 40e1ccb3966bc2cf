/* Results as a researcher reads them: labels instead of IRIs (IRI on hover, link to its page),
   typed values as plain values, and a table that sorts, filters and pages, so 10,000 rows are
   never drawn at once. window.Results = {Table, Labels, parseNTriples, text, number, ...}. */
(function () {
  "use strict";
  var t = function (k, v) { return window.I18N.t(k, v); };
  var DATA_BASE = "https://w3id.org/hubei-policy/";
  var XSD = "http://www.w3.org/2001/XMLSchema#";
  var NUMERIC = ["integer", "decimal", "double", "float", "long", "int", "short", "byte",
    "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
    "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"].map(function (n) {
    return XSD + n;
  });
  var LABEL_PREDICATES = [
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://purl.org/dc/terms/title",
    "http://www.w3.org/2000/01/rdf-schema#label"
  ];
  var prefixes = {};

  function setPrefixes(p) { prefixes = p || {}; }
  function localHref(iri) {
    return iri.indexOf(DATA_BASE) === 0 ? "/" + iri.slice(DATA_BASE.length) : iri;
  }
  function shorten(iri) {
    var best = null;
    Object.keys(prefixes).forEach(function (p) {
      var ns = prefixes[p];
      if (iri.indexOf(ns) === 0 && (best === null || ns.length > prefixes[best].length)) best = p;
    });
    return best === null ? iri : best + ":" + iri.slice(prefixes[best].length);
  }
  function number(term) {
    if (!term || term.type !== "literal" && term.type !== "typed-literal") return null;
    if (NUMERIC.indexOf(term.datatype) < 0) return null;
    var n = Number(term.value);
    return isFinite(n) ? n : null;
  }

  /* ------------------------------------------------------------------ labels */
  function Labels() {
    this.map = new Map();   // iri -> {lang -> [rank, text]}
    this.asked = new Set();
  }
  Labels.prototype.get = function (iri) {
    var entry = this.map.get(iri);
    if (!entry) return null;
    var lang = window.I18N.lang();
    var pick = entry[lang] || entry.zh || entry.en || entry[""] || entry.other;
    return pick ? pick[1] : null;
  };
  Labels.prototype.add = function (iri, predicate, literal) {
    var rank = LABEL_PREDICATES.indexOf(predicate);
    var lang = (literal["xml:lang"] || "").toLowerCase();
    lang = lang === "" ? "" : lang.indexOf("zh") === 0 && lang !== "zh-hant" ? "zh"
      : lang.indexOf("en") === 0 ? "en" : "other";
    var entry = this.map.get(iri) || {};
    if (!entry[lang] || entry[lang][0] > rank) entry[lang] = [rank, literal.value];
    this.map.set(iri, entry);
  };
  /* All labels of ``iris`` not yet asked for, in one query per 80,000 characters of IRIs
     (one for most results: about 900 IRIs). ``post(query)`` returns a fetch promise; resolves when the labels are in. */
  Labels.prototype.fetch = function (iris, post, signal) {
    var self = this;
    var wanted = iris.filter(function (i) { return !self.asked.has(i); });
    wanted.forEach(function (i) { self.asked.add(i); });
    var batches = [], batch = [], size = 0;
    wanted.forEach(function (iri) {  // the endpoint takes queries up to 100,000 characters
      if (size + iri.length + 3 > 80000 && batch.length) { batches.push(batch); batch = []; size = 0; }
      batch.push(iri);
      size += iri.length + 3;
    });
    if (batch.length) batches.push(batch);
    return Promise.all(batches.map(function (batch) {
      var query = "SELECT ?s ?p ?l WHERE {\n  VALUES ?p { " + LABEL_PREDICATES.map(function (p) {
        return "<" + p + ">";
      }).join(" ") + " }\n  VALUES ?s { " + batch.map(function (i) {
        return "<" + i.replace(/[<>"{}|^`\\\s]/g, encodeURIComponent) + ">";
      }).join("\n") + " }\n  ?s ?p ?l\n}";
      return post(query, "application/sparql-results+json", signal).then(function (r) {
        return r.ok ? r.json() : { results: { bindings: [] } };
      }).then(function (data) {
        data.results.bindings.forEach(function (b) { self.add(b.s.value, b.p.value, b.l); });
      });
    }));
  };

  /* What a cell says, as text (for sorting, filtering, charts and the network). */
  function text(term, labels) {
    if (!term) return "";
    if (term.type === "uri") return (labels && labels.get(term.value)) || shorten(term.value);
    if (term.type === "bnode") return "_:" + term.value;
    if (term.datatype === XSD + "boolean") return term.value === "true" ? t("yes") : t("no");
    return term.value;
  }

  function cell(term, labels) {
    var td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      var a = document.createElement("a");
      a.href = localHref(term.value);
      a.className = "iri";
      a.title = term.value;
      var label = labels.get(term.value);
      a.textContent = label || shorten(term.value);
      if (label) a.classList.add("labelled");
      td.appendChild(a);
      return td;
    }
    td.textContent = text(term, labels);
    if (number(term) !== null) td.className = "num";
    var note = term["xml:lang"] ? "@" + term["xml:lang"]
      : term.datatype ? shorten(term.datatype) : "";
    if (note) td.title = note;  // the datatype or language on hover, not as clutter
    return td;
  }

  /* ------------------------------------------------------------------ table */
  var collator = new Intl.Collator(["zh-CN", "en"], { numeric: true });

  function Table(container, data, labels) {
    this.container = container;
    this.data = data;
    this.labels = labels;
    this.sortVar = null;
    this.sortDir = 1;
    this.filter = "";
    this.page = 0;
    this.pageSize = 100;
    this.view = data.rows;
    this.build();
  }
  Table.prototype.build = function () {
    var self = this;
    var bar = document.createElement("div");
    bar.className = "table-bar";
    var filter = document.createElement("input");
    filter.type = "search";
    filter.className = "table-filter";
    filter.placeholder = t("filter");
    filter.addEventListener("input", function () {
      self.filter = filter.value.trim().toLowerCase();
      self.page = 0;
      self.refresh();
    });
    var info = document.createElement("span");
    info.className = "table-info";
    var pager = document.createElement("span");
    pager.className = "pager";
    function button(key, cls, go) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = cls;
      b.textContent = t(key);
      b.addEventListener("click", function () { go(); self.draw(); });
      pager.appendChild(b);
      return b;
    }
    this.first = button("first", "page-first", function () { self.page = 0; });
    this.prev = button("prev", "page-prev", function () { self.page -= 1; });
    this.pageLabel = document.createElement("span");
    this.pageLabel.className = "page-label";
    pager.appendChild(this.pageLabel);
    this.next = button("next", "page-next", function () { self.page += 1; });
    this.last = button("last", "page-last", function () { self.page = self.pages() - 1; });
    var size = document.createElement("select");
    size.className = "page-size";
    size.title = t("rows_per_page");
    [25, 100, 500].forEach(function (n) {
      var o = document.createElement("option");
      o.value = n;
      o.textContent = n;
      if (n === self.pageSize) o.selected = true;
      size.appendChild(o);
    });
    size.addEventListener("change", function () {
      self.pageSize = Number(size.value);
      self.page = 0;
      self.draw();
    });
    pager.appendChild(size);
    bar.append(filter, info, pager);
    this.info = info;

    var table = document.createElement("table");
    table.className = "results-table";
    var head = table.createTHead().insertRow();
    this.headers = this.data.vars.map(function (v) {
      var th = document.createElement("th");
      th.textContent = "?" + v;
      th.dataset.var = v;
      th.title = "sort";
      th.addEventListener("click", function () { self.sortBy(v); });
      head.appendChild(th);
      return th;
    });
    this.body = table.createTBody();
    var wrap = document.createElement("div");
    wrap.className = "table-wrap";
    wrap.appendChild(table);
    this.container.replaceChildren(bar, wrap);
    this.refresh();
  };
  Table.prototype.pages = function () {
    return Math.max(1, Math.ceil(this.view.length / this.pageSize));
  };
  Table.prototype.sortBy = function (v) {
    this.sortDir = this.sortVar === v ? -this.sortDir : 1;
    this.sortVar = v;
    this.page = 0;
    this.refresh();
  };
  /* Filter and sort the rows (cheap: text only), then draw one page. */
  Table.prototype.refresh = function () {
    var self = this;
    var vars = this.data.vars;
    var rows = this.data.rows;
    if (this.filter) {
      var f = this.filter;
      rows = rows.filter(function (row) {
        for (var i = 0; i < vars.length; i++) {
          var term = row[vars[i]];
          if (term && (text(term, self.labels).toLowerCase().indexOf(f) >= 0 ||
                       term.value.toLowerCase().indexOf(f) >= 0)) return true;
        }
        return false;
      });
    }
    if (this.sortVar) {
      var v = this.sortVar;
      var dir = this.sortDir;
      var keyed = rows.map(function (row) {
        var term = row[v];
        return { row: row, n: number(term), s: text(term, self.labels) };
      });
      keyed.sort(function (a, b) {
        if (a.n !== null && b.n !== null) return (a.n - b.n) * dir;
        if (!a.s !== !b.s) return a.s ? -1 : 1;  // empty cells last either way
        return collator.compare(a.s, b.s) * dir;
      });
      rows = keyed.map(function (k) { return k.row; });
    }
    this.view = rows;
    this.headers.forEach(function (th) {
      th.classList.toggle("sorted-asc", th.dataset.var === v && dir === 1);
      th.classList.toggle("sorted-desc", th.dataset.var === v && dir === -1);
    });
    this.draw();
  };
  Table.prototype.draw = function () {
    var self = this;
    var vars = this.data.vars;
    this.page = Math.min(Math.max(0, this.page), this.pages() - 1);
    var from = this.page * this.pageSize;
    var slice = this.view.slice(from, from + this.pageSize);
    var fragment = document.createDocumentFragment();
    slice.forEach(function (row) {
      var tr = document.createElement("tr");
      vars.forEach(function (v) { tr.appendChild(cell(row[v], self.labels)); });
      fragment.appendChild(tr);
    });
    this.body.replaceChildren(fragment);
    var n = this.view.length;
    this.info.textContent = t("shown", { a: n ? from + 1 : 0, b: from + slice.length, n: n }) +
      (n !== this.data.rows.length ? t("filtered", { n: this.data.rows.length }) : "");
    this.pageLabel.textContent = t("page_of", { p: this.page + 1, n: this.pages() });
    this.first.disabled = this.prev.disabled = this.page === 0;
    this.next.disabled = this.last.disabled = this.page >= this.pages() - 1;
  };
  /* Labels arrived: redraw (and re-sort, as a label may move a row). */
  Table.prototype.relabel = function () {
    if (this.sortVar || this.filter) this.refresh(); else this.draw();
  };

  /* ------------------------------------------------------------------ N-Triples */
  var NT_TERM = /\s*(?:<([^>]*)>|_:(\S+)|"((?:[^"\\]|\\.)*)"(?:@([A-Za-z0-9-]+)|\^\^<([^>]*)>)?)/y;
  function unescape(s) {
    return s.replace(/\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))/g, function (_, u, U, c) {
      if (u || U) return String.fromCodePoint(parseInt(u || U, 16));
      return { t: "\t", n: "\n", r: "\r", b: "\b", f: "\f" }[c] || c;
    });
  }
  /* A CONSTRUCT/DESCRIBE answer (N-Triples) as SELECT-like rows ?subject ?predicate ?object. */
  function parseNTriples(body) {
    var names = ["subject", "predicate", "object"];
    var rows = [];
    body.split("\n").forEach(function (line) {
      if (!line.trim() || line.trim().charAt(0) === "#") return;
      NT_TERM.lastIndex = 0;
      var row = {};
      for (var i = 0; i < 3; i++) {
        var m = NT_TERM.exec(line);
        if (!m) return;
        row[names[i]] = m[1] !== undefined ? { type: "uri", value: unescape(m[1]) }
          : m[2] !== undefined ? { type: "bnode", value: m[2] }
          : { type: "literal", value: unescape(m[3]), "xml:lang": m[4], datatype: m[5] };
      }
      rows.push(row);
    });
    return { vars: names, rows: rows };
  }

  /* Every IRI of the rows, once. */
  function iris(data) {
    var seen = new Set();
    data.rows.forEach(function (row) {
      data.vars.forEach(function (v) {
        var term = row[v];
        if (term && term.type === "uri") seen.add(term.value);
      });
    });
    return Array.from(seen);
  }

  window.Results = {
    Table: Table, Labels: Labels, parseNTriples: parseNTriples, iris: iris, text: text,
    number: number, shorten: shorten, localHref: localHref, setPrefixes: setPrefixes
  };
})();
