/* Charts from data the server rendered: every element with data-chart="<id>" is drawn from the JSON in
   <script type="application/json" id="<id>"> (Django's json_script), so the Content-Security-Policy can
   keep forbidding inline script. The page always renders the same figures as a table too; the chart is
   for looking, the table for reading, printing and screen readers.

   Spec: {"type": "bar" | "hbar" | "line" | "pie", "categories": [...], "series": [{"name", "data",
   "color"?, "stack"?}], "links"?: [url per category]}. With "links", clicking a bar or slice drills down. */
(function () {
  "use strict";
  var PALETTE = ["#1f5fae", "#2e8b57", "#d9a400", "#c0392b", "#7d5ba6", "#16879a", "#8a6d3b"];

  function option(spec) {
    var pie = spec.type === "pie";
    var horizontal = spec.type === "hbar";
    var series = (spec.series || []).map(function (s, i) {
      var item = { name: s.name, type: pie ? "pie" : (spec.type === "line" ? "line" : "bar"), data: s.data };
      if (s.stack) item.stack = s.stack;
      if (s.color) item.itemStyle = { color: s.color };
      if (pie) {
        item.radius = ["40%", "70%"];
        item.data = (spec.categories || []).map(function (c, j) { return { name: c, value: s.data[j] }; });
        item.label = { formatter: "{b}: {c}" };
      }
      return item;
    });
    var opt = {
      color: PALETTE,
      animation: false,
      tooltip: { trigger: pie ? "item" : "axis" },
      legend: { show: (spec.series || []).length > 1 || pie, top: 0 },
      series: series
    };
    if (!pie) {
      var cat = { type: "category", data: spec.categories || [], axisLabel: { interval: 0, hideOverlap: true } };
      var val = { type: "value", minInterval: 1 };
      opt.grid = { left: 8, right: 16, top: 32, bottom: 8, containLabel: true };
      opt.xAxis = horizontal ? val : cat;
      opt.yAxis = horizontal ? cat : val;
      if (horizontal) { cat.inverse = true; }
    }
    return opt;
  }

  function draw(el) {
    if (el.dataset.chartDrawn || typeof window.echarts === "undefined") return;
    var source = document.getElementById(el.dataset.chart);
    if (!source) return;
    var spec;
    try { spec = JSON.parse(source.textContent); } catch (e) { return; }
    el.dataset.chartDrawn = "1";
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option(spec));
    if (spec.links) {
      chart.on("click", function (p) {
        var url = spec.links[p.dataIndex];
        if (url) window.location.href = url;
      });
    }
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function drawAll(root) {
    (root || document).querySelectorAll("[data-chart]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  // htmx swaps in new figures when a filter changes: draw the charts that arrived with them.
  document.addEventListener("htmx:afterSettle", function (e) { drawAll(e.target); });
})();
