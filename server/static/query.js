/* The query page: editor with highlighting overlay, example list, results table, downloads.
   Talks to /sparql with the SPARQL 1.1 Protocol like any other client. */
(function () {
  "use strict";
  var textarea = document.getElementById("query");
  var code = document.getElementById("highlight");
  var statusEl = document.getElementById("status");
  var resultsEl = document.getElementById("results");
  var csvButton = document.getElementById("download-csv");
  var jsonButton = document.getElementById("download-json");
  var prefixes = {};
  var prolog = "";
  var DATA_BASE = "https://w3id.org/hubei-policy/";

  function refresh() {
    code.innerHTML = window.sparqlHighlight(textarea.value);
    code.parentNode.scrollTop = textarea.scrollTop;
    code.parentNode.scrollLeft = textarea.scrollLeft;
  }
  textarea.addEventListener("input", refresh);
  textarea.addEventListener("scroll", refresh);
  textarea.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run(); }
    if (e.key === "Tab" && !e.shiftKey) {
      e.preventDefault();
      var s = textarea.selectionStart;
      textarea.setRangeText("  ", s, textarea.selectionEnd, "end");
      refresh();
    }
  });

  function setQuery(body) { textarea.value = prolog + "\n" + body; refresh(); }

  function localHref(iri) {
    if (iri.indexOf(DATA_BASE) === 0) return "/" + iri.slice(DATA_BASE.length);
    return iri;
  }
  function shorten(iri) {
    var best = null;
    Object.keys(prefixes).forEach(function (p) {
      var ns = prefixes[p];
      if (iri.indexOf(ns) === 0 && (best === null || ns.length > prefixes[best].length)) best = p;
    });
    return best === null ? iri : best + ":" + iri.slice(prefixes[best].length);
  }

  function cell(term) {
    var td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      var a = document.createElement("a");
      a.href = localHref(term.value);
      a.textContent = shorten(term.value);
      a.title = term.value;
      a.className = "iri";
      td.appendChild(a);
    } else {
      td.textContent = term.type === "bnode" ? "_:" + term.value : term.value;
      if (term["xml:lang"]) {
        var lang = document.createElement("span");
        lang.className = "lang";
        lang.textContent = " @" + term["xml:lang"];
        td.appendChild(lang);
      } else if (term.datatype) {
        var dt = document.createElement("span");
        dt.className = "datatype";
        dt.textContent = " ^^" + shorten(term.datatype);
        td.appendChild(dt);
      }
    }
    return td;
  }

  function renderTable(data) {
    var table = document.createElement("table");
    table.className = "results-table";
    var head = table.createTHead().insertRow();
    data.head.vars.forEach(function (v) {
      var th = document.createElement("th");
      th.textContent = "?" + v;
      head.appendChild(th);
    });
    var body = table.createTBody();
    data.results.bindings.forEach(function (b) {
      var tr = body.insertRow();
      data.head.vars.forEach(function (v) { tr.appendChild(cell(b[v])); });
    });
    resultsEl.replaceChildren(table);
    return data.results.bindings.length;
  }

  function post(query, accept) {
    return fetch("/sparql", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": accept },
      body: new URLSearchParams({ query: query }).toString()
    });
  }

  function run() {
    var query = textarea.value;
    var started = performance.now();
    statusEl.textContent = "Running…";
    statusEl.className = "";
    csvButton.disabled = jsonButton.disabled = true;
    post(query, "application/sparql-results+json, text/turtle;q=0.9").then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      var truncated = response.headers.get("X-Result-Truncated") === "true";
      return (type.indexOf("json") >= 0 && response.ok ? response.json() : response.text())
        .then(function (body) {
          var ms = Math.round(performance.now() - started);
          if (!response.ok) {
            statusEl.textContent = "Error " + response.status;
            statusEl.className = "error";
            var pre = document.createElement("pre");
            pre.className = "error-message";
            pre.textContent = body;
            resultsEl.replaceChildren(pre);
            return;
          }
          var note = truncated ? " — truncated by the server's row cap" : "";
          if (typeof body === "string") {
            var out = document.createElement("pre");
            out.className = "graph-result";
            out.textContent = body;
            resultsEl.replaceChildren(out);
            statusEl.textContent = (response.headers.get("X-Result-Rows") || "?") +
              " triples in " + ms + " ms" + note;
          } else if ("boolean" in body) {
            resultsEl.replaceChildren(document.createTextNode(String(body.boolean)));
            statusEl.textContent = "ASK answered in " + ms + " ms";
          } else {
            var n = renderTable(body);
            statusEl.textContent = n + " rows in " + ms + " ms" + note;
            csvButton.disabled = jsonButton.disabled = false;
          }
        });
    }).catch(function (err) {
      statusEl.textContent = "Network error: " + err;
      statusEl.className = "error";
    });
  }

  function download(accept, filename) {
    post(textarea.value, accept).then(function (r) { return r.blob(); }).then(function (blob) {
      var a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = filename;
      document.body.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    });
  }

  document.getElementById("run").addEventListener("click", run);
  csvButton.addEventListener("click", function () { download("text/csv", "results.csv"); });
  jsonButton.addEventListener("click", function () {
    download("application/sparql-results+json", "results.json");
  });

  Promise.all([
    fetch("/prefixes.json").then(function (r) { return r.json(); }),
    fetch("/static/examples.json").then(function (r) { return r.json(); })
  ]).then(function (loaded) {
    prefixes = loaded[0];
    prolog = Object.keys(prefixes).map(function (p) {
      return "PREFIX " + p + ": <" + prefixes[p] + ">";
    }).join("\n") + "\n";
    var list = document.getElementById("examples");
    loaded[1].forEach(function (ex, i) {
      var li = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "example";
      button.dataset.example = ex.id;
      button.textContent = ex.title;
      button.title = ex.question;
      button.addEventListener("click", function () { setQuery(ex.query); run(); });
      var p = document.createElement("p");
      p.textContent = ex.question;
      li.appendChild(button);
      li.appendChild(p);
      list.appendChild(li);
      if (i === 0 && !textarea.value) setQuery(ex.query);
    });
    document.body.dataset.ready = "true";
  });
})();
