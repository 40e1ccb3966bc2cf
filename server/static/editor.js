/* The SPARQL editor: CodeMirror 6 (vendored, window.CM) with its SPARQL mode, and completion of
   the project's prefixes, the ontology's terms (label as detail) and SPARQL keywords.
   window.QueryEditor.create(parent, {onRun}) returns {get, set, setTerms, view}. */
(function () {
  "use strict";
  var CM = window.CM;
  var KEYWORDS = ("SELECT DISTINCT REDUCED CONSTRUCT DESCRIBE ASK WHERE FROM NAMED GRAPH OPTIONAL " +
    "UNION MINUS FILTER BIND VALUES SERVICE ORDER BY ASC DESC GROUP HAVING LIMIT OFFSET PREFIX " +
    "BASE AS COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR EXISTS NOT IN STR LANG LANGMATCHES " +
    "DATATYPE BOUND IRI BNODE CONTAINS STRSTARTS STRENDS REGEX REPLACE SUBSTR STRLEN LCASE UCASE " +
    "YEAR COALESCE IF isIRI isLiteral isBlank isNumeric").split(" ");

  function completer(state) {
    return function (context) {
      var word = context.matchBefore(/[A-Za-z_][\w-]*:?[\w-]*|\?\w*/);
      if (!word || (word.from === word.to && !context.explicit)) return null;
      var text = word.text;
      if (text.charAt(0) === "?") return null;  // variables: nothing to offer
      var options = [];
      var colon = text.indexOf(":");
      if (colon >= 0) {
        var prefix = text.slice(0, colon);
        state.terms.forEach(function (term) {
          if (term.prefix === prefix) {
            options.push({ label: prefix + ":" + term.local, detail: term.label || "",
                           type: term.kind, boost: term.local.charAt(0) === "" ? 0 : 1 });
          }
        });
      } else {
        Object.keys(state.prefixes).forEach(function (p) {
          options.push({ label: p + ":", detail: state.prefixes[p], type: "namespace",
                         apply: p + ":" });
        });
        KEYWORDS.forEach(function (k) { options.push({ label: k, type: "keyword" }); });
        state.terms.forEach(function (term) {  // "Task" finds pk:Task
          options.push({ label: term.prefix + ":" + term.local, detail: term.label || "",
                         type: term.kind, boost: -1 });
        });
      }
      return { from: word.from, options: options, validFor: /^[\w-]*:?[\w-]*$/ };
    };
  }

  function create(parent, opts) {
    var state = { prefixes: {}, terms: [] };
    var run = CM.keymap.of([
      { key: "Mod-Enter", run: function () { opts.onRun(); return true; } }
    ]);
    // In a shadow root: CodeMirror then styles itself through a constructed stylesheet, which
    // the page's Content-Security-Policy (no inline styles) allows; a <style> element it is not.
    var root = parent.attachShadow({ mode: "open" });
    var theme = CM.EditorView.theme({
      "&": { height: "100%", fontSize: "13px", backgroundColor: "#fff" },
      ".cm-scroller": { fontFamily: "ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, " +
                        "'Noto Sans CJK SC', 'WenQuanYi Zen Hei', monospace" },
      ".cm-tooltip-autocomplete ul li[aria-selected]": { backgroundColor: "#0b5cad" },
      ".cm-completionDetail": { marginLeft: "1em", color: "#5b6670", fontStyle: "normal" }
    });
    var view = new CM.EditorView({
      parent: root,
      root: root,
      state: CM.EditorState.create({
        doc: "",
        extensions: [
          CM.Prec ? CM.Prec.highest(run) : run,
          CM.basicSetup,
          CM.StreamLanguage.define(CM.sparql),
          CM.autocompletion({ override: [completer(state)], activateOnTyping: true }),
          CM.EditorView.lineWrapping,
          theme,
          CM.EditorView.contentAttributes.of({ "aria-label": "SPARQL query" })
        ]
      })
    });
    return {
      view: view,
      get: function () { return view.state.doc.toString(); },
      set: function (text) {
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
      },
      setPrefixes: function (p) { state.prefixes = p; },
      setTerms: function (terms) { state.terms = terms; }
    };
  }
  window.QueryEditor = { create: create };
})();
