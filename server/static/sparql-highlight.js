/* A small SPARQL highlighter: one regular expression, tokens wrapped in <span class="t-…">.
   Written here (not vendored) so the query page works offline and has no install step. */
(function (global) {
  "use strict";
  var KEYWORDS = ("SELECT CONSTRUCT DESCRIBE ASK WHERE FROM NAMED PREFIX BASE OPTIONAL FILTER " +
    "UNION MINUS GRAPH SERVICE SILENT BIND VALUES GROUP BY ORDER HAVING LIMIT OFFSET DISTINCT " +
    "REDUCED AS ASC DESC NOT EXISTS IN UNDEF A TRUE FALSE COUNT SUM MIN MAX AVG SAMPLE " +
    "GROUP_CONCAT SEPARATOR STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS CEIL " +
    "FLOOR ROUND CONCAT STRLEN UCASE LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS " +
    "STRBEFORE STRAFTER YEAR MONTH DAY HOURS MINUTES SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 " +
    "SHA1 SHA256 SHA384 SHA512 COALESCE IF STRLANG STRDT SAMETERM ISIRI ISURI ISBLANK " +
    "ISLITERAL ISNUMERIC REGEX SUBSTR REPLACE").split(" ");
  var KW = {};
  KEYWORDS.forEach(function (k) { KW[k] = true; });
  var TOKEN = new RegExp([
    "(#[^\\n]*)",                                   // 1 comment
    "(\"\"\"[\\s\\S]*?\"\"\"|'''[\\s\\S]*?'''|\"(?:[^\"\\\\\\n]|\\\\.)*\"|'(?:[^'\\\\\\n]|\\\\.)*')", // 2 string
    "(<[^<>\"{}|^`\\\\\\s]*>)",                     // 3 IRI
    "([?$][A-Za-z_0-9\\u00B7-\\uFFFF]+)",           // 4 variable
    "(@[A-Za-z]+(?:-[A-Za-z0-9]+)*)",               // 5 language tag
    "([A-Za-z_\\u00C0-\\uFFFF][\\w.\\-\\u00B7-\\uFFFF]*)?:([\\w.\\-\\u00B7-\\uFFFF%]*)", // 6,7 prefixed name
    "([+-]?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?)",    // 8 number
    "([A-Za-z_]+)"                                  // 9 word
  ].join("|"), "g");

  function esc(s) {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }
  function span(cls, text) { return '<span class="t-' + cls + '">' + esc(text) + "</span>"; }

  function highlight(text) {
    var out = "", last = 0, m;
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(text)) !== null) {
      if (m[0] === "") { TOKEN.lastIndex++; continue; }
      out += esc(text.slice(last, m.index));
      if (m[1]) out += span("comment", m[0]);
      else if (m[2]) out += span("string", m[0]);
      else if (m[3]) out += span("iri", m[0]);
      else if (m[4]) out += span("var", m[0]);
      else if (m[5]) out += span("lang", m[0]);
      else if (m[7] !== undefined) out += span("pname", m[0]);
      else if (m[8]) out += span("number", m[0]);
      else if (m[9]) out += KW[m[9].toUpperCase()] ? span("keyword", m[0]) : esc(m[0]);
      else out += esc(m[0]);
      last = TOKEN.lastIndex;
    }
    return out + esc(text.slice(last)) + "\n";
  }
  global.sparqlHighlight = highlight;
})(window);
