/* The query page: editor, examples (docs/queries/*.rq via /examples.json), recent queries,
   run and cancel, the query in the URL (?query=…&view=…) with Back restoring results, and the
   table / chart / network views. Talks to /sparql with the SPARQL 1.1 Protocol only. */
(function () {
  "use strict";
  var I = window.I18N, R = window.Results, V = window.Views;
  var t = I.t;
  var $ = function (id) { return document.getElementById(id); };
  var statusEl = $("status"), resultsEl = $("results"), runButton = $("run"),
      cancelButton = $("cancel"), downloadsEl = $("downloads"), tabsEl = $("views");
  var prefixes = {}, predeclared = true, exampleList = [];
  var labels = new R.Labels();
  var current = null;       // {kind, data, truncated, ms, query}
  var view = "table", shown = null, controller = null;
  var cache = new Map();    // history key -> result, so Back shows results without a re-run
  var HISTORY_KEY = "policykg.history";
  var RESULTS_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9";

  var editor = window.QueryEditor.create($("editor"), { onRun: function () { run(true); } });

  /* ---------------------------------------------------------------- protocol */
  function declared(query) {
    var names = new Set(), re = /PREFIX\s+([A-Za-z][\w.-]*)?\s*:/gi, m;
    while ((m = re.exec(query))) names.add(m[1] || "");
    return names;
  }
  /* The text sent: the user's, plus PREFIX lines only if this endpoint does not predeclare
     the project's prefixes itself. Returns [text, number of lines added]. */
  function prepare(query) {
    if (predeclared) return [query, 0];
    var have = declared(query);
    var lines = Object.keys(prefixes).filter(function (p) { return !have.has(p); })
      .map(function (p) { return "PREFIX " + p + ": <" + prefixes[p] + ">"; });
    return [lines.join("\n") + (lines.length ? "\n" : "") + query, lines.length];
  }
  /* Error positions in the user's text, not in the prepared one. */
  function unshift(message, added) {
    if (!added) return message;
    return message.replace(/\bline (\d+)/g, function (_, n) { return "line " + (n - added); })
      .replace(/error at (\d+):(\d+)/g, function (_, l, c) {
        return "error at " + (l - added) + ":" + c;
      });
  }
  function post(query, accept, signal) {
    return fetch("/sparql", {
      method: "POST", signal: signal,
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": accept },
      body: new URLSearchParams({ query: prepare(query)[0] }).toString()
    });
  }

  /* ---------------------------------------------------------------- status */
  function status(text, cls) {
    statusEl.textContent = text;
    statusEl.className = cls || "";
  }
  function busy(on) {
    runButton.disabled = on;
    cancelButton.disabled = !on;
    document.body.dataset.busy = on ? "true" : "false";
  }

  /* ---------------------------------------------------------------- running */
  function run(push) {
    var query = editor.get();
    if (controller) controller.abort();
    controller = new AbortController();
    var mine = controller;
    var added = prepare(query)[1];
    var started = performance.now();
    busy(true);
    delete statusEl.dataset.rows;
    status(t("running"));
    post(query, RESULTS_ACCEPT, mine.signal).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      var truncated = response.headers.get("X-Result-Truncated") === "true";
      var body = type.indexOf("json") >= 0 && response.ok ? response.json() : response.text();
      return body.then(function (body) {
        var ms = Math.round(performance.now() - started);
        if (!response.ok) {
          showError(response.status, unshift(String(body), added));
          return;
        }
        var result = typeof body === "string"
          ? { kind: "graph", data: R.parseNTriples(body) }
          : "boolean" in body ? { kind: "ask", value: body.boolean }
          : { kind: "select", data: { vars: body.head.vars, rows: body.results.bindings } };
        result.truncated = truncated;
        result.ms = ms;
        result.query = query;
        remember(query);
        if (push !== false) pushState(query, result, push === "replace");
        show(result);
      });
    }).catch(function (err) {
      if (err && err.name === "AbortError") {
        if (mine === controller) status(t("cancelled"), "cancelled");
        return;
      }
      status(t("network_error", { e: err }), "error");
    }).finally(function () {
      if (mine === controller) { controller = null; busy(false); }
    });
  }
  function cancel() {
    if (controller) controller.abort();
  }
  function showError(code, message) {
    status(t("error", { status: code }), "error");
    var pre = document.createElement("pre");
    pre.className = "error-message";
    pre.textContent = message;
    resultsEl.replaceChildren(pre);
    tabsEl.hidden = true;
    downloadsEl.replaceChildren();
    current = null;
  }

  /* ---------------------------------------------------------------- showing */
  function summary(result) {
    var note = result.truncated ? t("truncated") : "";
    if (result.kind === "ask") return t("ask_in", { ms: result.ms });
    var n = result.data.rows.length;
    return t(result.kind === "graph" ? "triples_in" : "rows_in", { n: n, ms: result.ms }) + note;
  }
  function show(result) {
    current = result;
    if (shown && shown.destroy) shown.destroy();
    shown = null;
    status(summary(result));
    downloads(result.kind);
    if (result.kind === "ask") {
      var p = document.createElement("p");
      p.className = "ask-result";
      p.textContent = result.value ? t("yes") : t("no");
      resultsEl.replaceChildren(p);
      tabsEl.hidden = true;
      statusEl.dataset.rows = "1";
      return;
    }
    tabsEl.hidden = result.kind !== "select";
    if (result.kind !== "select") view = "table";
    var t0 = performance.now();
    delete document.body.dataset.renderMs;
    draw();
    requestAnimationFrame(function () {  // time to the painted frame, for diagnostics
      setTimeout(function () {
        document.body.dataset.renderMs = String(Math.round(performance.now() - t0));
      }, 0);
    });
    statusEl.dataset.rows = String(result.data.rows.length);
    var wanted = R.iris(result.data);
    var pending = labels.fetch(wanted, post);
    pending.then(function () {
      result.labelled = true;
      if (current !== result) return;
      if (shown && shown.relabel) shown.relabel();
      else if (view !== "table") draw();  // node and axis labels
      resultsEl.dataset.labelled = "true";
    });
  }
  function draw() {
    if (!current || current.kind === "ask") return;
    if (shown && shown.destroy) shown.destroy();
    delete resultsEl.dataset.labelled;
    tabsEl.querySelectorAll("button").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.dataset.view === view));
    });
    resultsEl.dataset.view = view;
    if (view === "chart") shown = V.chart(resultsEl, current.data, labels);
    else if (view === "network") shown = V.network(resultsEl, current.data, labels);
    else shown = new R.Table(resultsEl, current.data, labels);
    if (current.labelled) resultsEl.dataset.labelled = "true";
  }
  function setView(v, updateUrl) {
    view = v;
    draw();
    if (current && updateUrl) {
      var state = history.state || {};
      history.replaceState(state, "", url(current.query));
    }
  }

  /* ---------------------------------------------------------------- downloads */
  var FORMATS = {
    select: [["CSV", "text/csv", "results.csv"], ["TSV", "text/tab-separated-values", "results.tsv"],
             ["JSON", "application/sparql-results+json", "results.json"]],
    graph: [["Turtle", "text/turtle", "results.ttl"], ["N-Triples", "application/n-triples",
             "results.nt"], ["JSON-LD", "application/ld+json", "results.jsonld"]],
    ask: []
  };
  function downloads(kind) {
    var buttons = FORMATS[kind].map(function (f) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "download";
      b.dataset.format = f[0].toLowerCase();
      b.textContent = "⤓ " + f[0];
      b.title = t("download") + " " + f[2];
      b.addEventListener("click", function () { download(f[1], f[2]); });
      return b;
    });
    downloadsEl.replaceChildren.apply(downloadsEl, buttons);
  }
  function download(accept, filename) {
    post(editor.get(), accept).then(function (r) { return r.blob(); }).then(function (blob) {
      var a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = filename;
      document.body.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    });
  }

  /* ---------------------------------------------------------------- URL and history */
  function url(query) {
    var params = new URLSearchParams({ query: query });
    if (view !== "table") params.set("view", view);
    return "?" + params.toString();
  }
  var keys = 0;
  function pushState(query, result, replace) {
    var key = Date.now() + "-" + (keys++);
    cache.set(key, result);
    if (cache.size > 30) cache.delete(cache.keys().next().value);
    (replace ? history.replaceState : history.pushState).call(history, { key: key, query: query },
                                                               "", url(query));
    $("permalink").href = url(query);
  }
  window.addEventListener("popstate", function (e) {
    var params = new URLSearchParams(location.search);
    view = params.get("view") || "table";
    var query = (e.state && e.state.query) || params.get("query");
    if (!query) return;
    editor.set(query);
    var result = e.state && cache.get(e.state.key);
    if (result) show(result); else run(false);
  });
  function remember(query) {
    var list = recent().filter(function (q) { return q !== query; });
    list.unshift(query);
    try { localStorage.setItem(HISTORY_KEY, JSON.stringify(list.slice(0, 15))); } catch (e) {
      /* private mode: no history */
    }
    renderHistory();
  }
  function recent() {
    try { return JSON.parse(localStorage.getItem(HISTORY_KEY) || "[]"); } catch (e) { return []; }
  }
  function renderHistory() {
    var list = $("history");
    list.replaceChildren.apply(list, recent().map(function (q) {
      var li = document.createElement("li");
      var b = document.createElement("button");
      b.type = "button";
      b.className = "recent";
      var body = q.split("\n").filter(function (l) { return l.trim() && l.charAt(0) !== "#"; });
      var comment = q.split("\n").filter(function (l) { return l.charAt(0) === "#"; })[0];
      b.textContent = comment ? comment.replace(/^#\s*/, "") : body.join(" ").slice(0, 90);
      b.title = q;
      b.addEventListener("click", function () { editor.set(q); run(true); });
      li.appendChild(b);
      return li;
    }));
  }

  /* ---------------------------------------------------------------- examples */
  function renderExamples() {
    var list = $("examples");
    var zh = I.lang() === "zh";
    list.replaceChildren.apply(list, exampleList.map(function (ex) {
      var li = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "example";
      button.dataset.example = ex.id;
      button.textContent = zh ? ex.title_zh : ex.title;
      button.title = ex.file;
      button.addEventListener("click", function () {
        editor.set(ex.query);
        view = "table";
        run(true);
      });
      li.appendChild(button);
      return li;
    }));
  }

  /* ---------------------------------------------------------------- start */
  function ontologyTerms() {
    var q = "SELECT ?t ?l WHERE {\n" +
      "  { GRAPH <https://w3id.org/hubei-policy/ontology> { ?t a ?kind } }\n" +
      "  UNION { SELECT DISTINCT ?t WHERE { ?s ?t ?o } }\n" +
      "  UNION { SELECT DISTINCT ?t WHERE { ?s a ?t } }\n" +
      "  FILTER(isIRI(?t))\n" +
      "  OPTIONAL { ?t rdfs:label ?l }\n}";
    return post(q, "application/sparql-results+json").then(function (r) {
      return r.ok ? r.json() : { results: { bindings: [] } };
    }).then(function (data) {
      var byIri = new Map();
      var lang = I.lang();
      data.results.bindings.forEach(function (b) {
        var iri = b.t.value, l = b.l;
        var entry = byIri.get(iri) || { iri: iri, label: "" };
        if (l && (!entry.label || (l["xml:lang"] || "").indexOf(lang) === 0)) entry.label = l.value;
        byIri.set(iri, entry);
      });
      var terms = [];
      byIri.forEach(function (entry) {
        var short = R.shorten(entry.iri), colon = short.indexOf(":");
        if (colon < 0 || short.indexOf("/") >= 0) return;
        var local = short.slice(colon + 1);
        terms.push({ prefix: short.slice(0, colon), local: local, label: entry.label,
                     kind: /^[A-Z]/.test(local) ? "class" : "property" });
      });
      editor.setTerms(terms);
    });
  }

  runButton.addEventListener("click", function () { run(true); });
  cancelButton.addEventListener("click", cancel);
  tabsEl.querySelectorAll("button").forEach(function (b) {
    b.addEventListener("click", function () { setView(b.dataset.view, true); });
  });
  $("clear-history").addEventListener("click", function () {
    try { localStorage.removeItem(HISTORY_KEY); } catch (e) { /* nothing kept */ }
    renderHistory();
  });
  var langSelect = $("lang");
  langSelect.value = I.lang();
  langSelect.addEventListener("change", function () { I.set(langSelect.value); });
  I.onChange(function () {
    renderExamples();
    if (current) show(current);
  });
  I.apply();

  Promise.all([
    fetch("/prefixes.json").then(function (r) { return r.json(); }),
    fetch("/examples.json").then(function (r) { return r.json(); }),
    // Does the endpoint predeclare the project prefixes? One tiny query tells.
    fetch("/sparql?query=" + encodeURIComponent("ASK { FILTER(isIRI(pk:Task)) }"),
          { headers: { Accept: "application/sparql-results+json" } })
      .then(function (r) { return r.ok; }, function () { return false; })
  ]).then(function (loaded) {
    prefixes = loaded[0];
    exampleList = loaded[1];
    predeclared = loaded[2];
    R.setPrefixes(prefixes);
    editor.setPrefixes(prefixes);
    renderExamples();
    renderHistory();
    var params = new URLSearchParams(location.search);
    view = params.get("view") || "table";
    if (params.get("query")) {
      editor.set(params.get("query"));
      run("replace");
    } else if (exampleList.length) {
      editor.set(exampleList[0].query);
    }
    ontologyTerms().finally(function () { document.body.dataset.ready = "true"; });
  });

  window.queryPage = {
    setQuery: function (q) { editor.set(q); }, getQuery: function () { return editor.get(); },
    run: function () { run(true); }, editor: editor
  };
})();
