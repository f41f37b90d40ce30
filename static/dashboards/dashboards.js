// Home-page dashboards: draws each chart from its <script type="application/json"> data (json_script) with
// the vendored ECharts. Clicking a bar or slice opens the module's list page behind that figure (data.url);
// the same figures and links are in the table under each chart.
(function () {
  "use strict";

  var NARROW = 576;
  var LEGEND_ROW = 22;

  // The legend wraps above the chart (no scrolling legend on a phone); how many rows it takes.
  function legendRows(names, width) {
    var rows = 1;
    var used = 0;
    names.forEach(function (name) {
      var item = 25 + 12 * name.length + 10;
      if (used && used + item > width - 16) {
        rows += 1;
        used = 0;
      }
      used += item;
    });
    return rows;
  }

  function legend() {
    return { type: "plain", top: 0, left: "center", itemGap: 10, itemWidth: 16, textStyle: { fontSize: 12 } };
  }

  function barOption(spec, narrow, width) {
    var horizontal = spec.type === "hbar";
    var percent = spec.unit === "%";
    var crowded = narrow && spec.categories.length > 6;
    var categoryAxis = {
      type: "category",
      data: spec.categories,
      axisTick: { alignWithLabel: true },
      axisLabel: horizontal
        ? { width: narrow ? 84 : 150, overflow: "truncate" }
        : crowded
          ? { interval: "auto", rotate: 45, hideOverlap: true }
          : { interval: 0 }
    };
    if (horizontal) {
      categoryAxis.inverse = true;
    }
    var names = spec.series.map(function (s) {
      return s.name;
    });
    var top = spec.series.length > 1 ? 12 + LEGEND_ROW * legendRows(names, width) : 12;
    var valueAxis = { type: "value", minInterval: percent ? 0 : 1, max: percent ? 100 : null };
    if (percent) {
      valueAxis.axisLabel = { formatter: "{value}%" };
    }
    return {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, renderMode: "richText", confine: true },
      legend: spec.series.length > 1 ? legend() : { show: false },
      grid: { left: 8, right: 16, top: top, bottom: 8, containLabel: true },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series: spec.series.map(function (s) {
        return {
          name: s.name,
          type: "bar",
          stack: spec.stacked ? "total" : undefined,
          itemStyle: { color: s.color },
          cursor: "pointer",
          barMaxWidth: 36,
          emphasis: { focus: "series" },
          data: s.data
        };
      })
    };
  }

  function pieOption(spec, narrow, width) {
    var series = spec.series[0];
    var names = series.data.map(function (d) {
      return d.name;
    });
    var top = LEGEND_ROW * legendRows(names, width);
    return {
      tooltip: { trigger: "item", renderMode: "richText", confine: true, formatter: "{b}：{c}（{d}%）" },
      legend: legend(),
      series: [
        {
          name: series.name,
          type: "pie",
          top: top,
          radius: narrow ? ["34%", "62%"] : ["38%", "68%"],
          center: ["50%", "52%"],
          cursor: "pointer",
          avoidLabelOverlap: true,
          label: { formatter: "{c}", fontSize: 13 },
          data: series.data
            .filter(function (d) {
              return d.value > 0; // a zero slice is only a stray label; the table lists it
            })
            .map(function (d) {
              return { name: d.name, value: d.value, url: d.url, itemStyle: { color: d.color } };
            })
        }
      ]
    };
  }

  function option(spec, width) {
    var narrow = width < NARROW;
    var base = spec.type === "pie" ? pieOption(spec, narrow, width) : barOption(spec, narrow, width);
    base.animation = false; // drawn at once: cheap phones, and a screenshot shows the final chart
    return base;
  }

  function draw() {
    if (!window.echarts) {
      return;
    }
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-chart"));
      if (!source) {
        return;
      }
      var spec = JSON.parse(source.textContent);
      var chart = window.echarts.init(el, null, { renderer: "canvas", locale: "ZH" });
      chart.setOption(option(spec, el.clientWidth));
      chart.on("click", function (params) {
        var url = params.data && params.data.url;
        if (url) {
          window.location.assign(url);
        }
      });
      charts.push({ chart: chart, spec: spec, el: el, width: el.clientWidth });
      el.setAttribute("data-rendered", "1");
    });
    var pending = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(function () {
        charts.forEach(function (c) {
          var width = c.el.clientWidth;
          if (width !== c.width) {
            c.width = width;
            c.chart.resize();
            c.chart.setOption(option(c.spec, width), true);
          }
        });
      }, 150);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
