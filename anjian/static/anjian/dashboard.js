/* 调度统计看板: draws the charts from the page's json_script data with the vendored ECharts.
   Every chart element carries the drill-down link of the list behind it; a click opens it. */
(function () {
  "use strict";
  var COLORS = ["#0d6efd", "#dc3545", "#198754", "#fd7e14", "#6f42c1", "#20c997"];
  var charts = [];

  function points(values, drills) {
    return values.map(function (v, i) { return { value: v, drill: drills[i] }; });
  }

  function base(extra) {
    var opt = {
      color: COLORS,
      animation: false,
      textStyle: { fontFamily: "system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei', sans-serif" },
      tooltip: { trigger: "item" },
      grid: { left: 40, right: 16, top: 36, bottom: 28, containLabel: true }
    };
    Object.keys(extra).forEach(function (k) { opt[k] = extra[k]; });
    return opt;
  }

  function monthLabels(labels) {
    return labels.map(function (l) { return l.replace(/^\d+年/, ""); });
  }

  function monthSeries(list, type) {
    return {
      legend: { top: 0, data: list.map(function (s) { return s.name; }) },
      xAxis: { type: "category", data: monthLabels(list[0] ? list[0].labels : []) },
      yAxis: { type: "value", minInterval: 1 },
      series: list.map(function (s) {
        return { name: s.name, type: type, data: points(s.values, s.drills), cursor: "pointer" };
      })
    };
  }

  var builders = {
    trends: function (d) { return base(monthSeries(d.trends, "line")); },
    cases: function (d) { return base(monthSeries(d.cases, "bar")); },
    major_open: function (d) {
      var s = d.major_open;
      return base({
        xAxis: { type: "category", data: monthLabels(s.labels) },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ name: s.name, type: "bar", data: points(s.values, s.drills), itemStyle: { color: COLORS[1] }, label: { show: true, position: "top" } }]
      });
    },
    funnel: function (d) {
      return base({
        tooltip: { trigger: "item", formatter: "{b}：{c}项" },
        series: [{
          type: "funnel", sort: "none", left: "10%", width: "80%", top: 12, bottom: 28, minSize: "30%",
          label: { show: true, position: "inside", formatter: "{b}：{c}" },
          data: d.funnel.map(function (f) { return { name: f.stage, value: f.value, drill: f.drill }; })
        }]
      });
    },
    comparison: function (d) {
      var inds = d.comparison.indicators;
      var labels = inds.length ? inds[0].rows.map(function (r) { return r.label; }) : [];
      return base({
        legend: { top: 0, data: inds.map(function (i) { return i.name; }) },
        xAxis: { type: "category", data: labels, axisLabel: { interval: 0, rotate: labels.length > 6 ? 30 : 0 } },
        // Counts on the left axis, rates (%) on the right one.
        yAxis: [{ type: "value", minInterval: 1 }, { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" }, splitLine: { show: false } }],
        series: inds.map(function (i) {
          return {
            name: i.name, type: "bar", yAxisIndex: i.unit === "%" ? 1 : 0,
            data: i.rows.map(function (r) { return { value: r.value, drill: r.drill }; })
          };
        })
      });
    }
  };

  function draw() {
    var node = document.getElementById("dashboard-data");
    if (!node || !window.echarts) { return; }
    var data = JSON.parse(node.textContent);
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var build = builders[el.getAttribute("data-chart")];
      if (!build) { return; }
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(build(data));
      chart.on("click", function (p) {
        if (p.data && p.data.drill) { window.location.href = p.data.drill; }
      });
      charts.push(chart);
    });
  }

  function resize() { charts.forEach(function (c) { c.resize(); }); }

  document.addEventListener("DOMContentLoaded", draw);
  window.addEventListener("resize", resize);
  // Printing (A4 landscape): the charts take the printed cell's size, then the screen's again.
  window.addEventListener("beforeprint", resize);
  window.addEventListener("afterprint", resize);
  if (window.matchMedia) {
    var mq = window.matchMedia("print");
    if (mq.addEventListener) { mq.addEventListener("change", resize); }
  }
})();
