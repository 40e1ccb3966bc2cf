/* The query page's words in Chinese and English. Chinese by default for a Chinese browser
   (navigator.language zh*), English otherwise; the choice is kept in localStorage. */
(function () {
  "use strict";
  var WORDS = {
    zh: {
      title: "湖北产业政策知识图谱 — SPARQL 查询",
      heading: "湖北产业政策知识图谱",
      nav_query: "SPARQL 查询", nav_ontology: "本体", nav_void: "数据集描述 (VoID)",
      nav_sd: "服务描述", nav_dump: "全量下载 (N-Quads)",
      hint: "默认图是所有命名图的并集；用 GRAPH ?g { … } 查看三元组来自哪份文件。" +
        "项目前缀（pk:、id:、skos: 等）已预先声明，无需 PREFIX 行。Ctrl+Enter 运行，Ctrl+空格 补全。",
      examples: "示例问题", history: "最近的查询", clear_history: "清空",
      run: "运行", cancel: "取消", running: "正在查询…", cancelled: "已取消",
      rows_in: "{n} 行，用时 {ms} 毫秒", triples_in: "{n} 个三元组，用时 {ms} 毫秒",
      ask_in: "ASK 结果，用时 {ms} 毫秒", truncated: "（已被服务器行数上限截断）",
      error: "错误 {status}", network_error: "网络错误：{e}",
      view_table: "表格", view_chart: "图表", view_network: "网络",
      filter: "筛选…", page_of: "第 {p} / {n} 页", rows_per_page: "每页行数",
      prev: "上一页", next: "下一页", first: "首页", last: "末页",
      shown: "显示 {a}–{b}，共 {n} 行", filtered: "（筛选自 {n} 行）",
      download: "下载", permalink: "永久链接", copied: "已复制链接",
      x_axis: "横轴", y_axis: "数值", series: "系列", none: "（无）", kind: "类型",
      bar: "柱状图", line: "折线图", sum_note: "相同横轴值的数值相加",
      no_numeric: "结果中没有数值列，无法绘图。",
      source: "起点", target: "终点", weight: "权重",
      no_network: "网络视图需要至少两个 IRI 列。",
      network_note: "{n} 个节点，{e} 条边。点击节点查看详情，双击打开其页面。",
      open_page: "打开页面", degree: "连接数",
      yes: "是", no: "否", lang: "语言"
    },
    en: {
      title: "Hubei policy KG — SPARQL",
      heading: "Hubei industrial-policy knowledge graph",
      nav_query: "SPARQL query", nav_ontology: "ontology", nav_void: "VoID",
      nav_sd: "service description", nav_dump: "dump (N-Quads)",
      hint: "The default graph is the union of all named graphs; use GRAPH ?g { … } to see " +
        "which source document a triple comes from. The project prefixes (pk:, id:, skos: …) " +
        "are predeclared: no PREFIX lines needed. Ctrl+Enter runs, Ctrl+Space completes.",
      examples: "Example questions", history: "Recent queries", clear_history: "clear",
      run: "Run query", cancel: "Cancel", running: "Running…", cancelled: "Cancelled",
      rows_in: "{n} rows in {ms} ms", triples_in: "{n} triples in {ms} ms",
      ask_in: "ASK answered in {ms} ms", truncated: " — truncated by the server's row cap",
      error: "Error {status}", network_error: "Network error: {e}",
      view_table: "Table", view_chart: "Chart", view_network: "Network",
      filter: "Filter…", page_of: "page {p} of {n}", rows_per_page: "rows per page",
      prev: "previous", next: "next", first: "first", last: "last",
      shown: "showing {a}–{b} of {n} rows", filtered: " (filtered from {n})",
      download: "Download", permalink: "Permalink", copied: "link copied",
      x_axis: "x axis", y_axis: "value", series: "series", none: "(none)", kind: "kind",
      bar: "bar", line: "line", sum_note: "values with the same x are added",
      no_numeric: "No numeric column in these results to chart.",
      source: "source", target: "target", weight: "weight",
      no_network: "The network view needs at least two IRI columns.",
      network_note: "{n} nodes, {e} edges. Click a node for details, double-click to open its page.",
      open_page: "open page", degree: "links",
      yes: "yes", no: "no", lang: "language"
    }
  };
  var KEY = "policykg.lang";
  function initial() {
    var saved = null;
    try { saved = localStorage.getItem(KEY); } catch (e) { /* private mode */ }
    if (saved === "zh" || saved === "en") return saved;
    return /^zh/i.test(navigator.language || "") ? "zh" : "en";
  }
  var current = initial();
  var listeners = [];

  function t(key, values) {
    var s = (WORDS[current] && WORDS[current][key]) || WORDS.en[key] || key;
    return s.replace(/\{(\w+)\}/g, function (_, k) {
      return values && k in values ? String(values[k]) : "";
    });
  }
  function apply(root) {
    document.documentElement.lang = current === "zh" ? "zh-CN" : "en";
    document.title = t("title");
    (root || document).querySelectorAll("[data-i18n]").forEach(function (el) {
      el.textContent = t(el.dataset.i18n);
    });
    (root || document).querySelectorAll("[data-i18n-placeholder]").forEach(function (el) {
      el.placeholder = t(el.dataset.i18nPlaceholder);
    });
  }
  function set(lang) {
    current = lang === "zh" ? "zh" : "en";
    try { localStorage.setItem(KEY, current); } catch (e) { /* private mode */ }
    apply();
    listeners.forEach(function (f) { f(current); });
  }
  window.I18N = {
    t: t, apply: apply, set: set,
    lang: function () { return current; },
    onChange: function (f) { listeners.push(f); }
  };
})();
