// Draws the health dashboard's trend charts with Chart.js from the page's JSON data.
// The same numbers are in the tables beside each chart, so nothing is lost without it.
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    var source = document.getElementById("health-data");
    if (!source || typeof window.Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    var colours = ["#2f6f4e", "#c0692c", "#4a6fa5", "#8a8a80"];

    function line(label, values, colour) {
      return { label: label, data: values, borderColor: colour, backgroundColor: colour, tension: 0.2, spanGaps: true };
    }
    function bar(label, values, colour) {
      return { label: label, data: values, backgroundColor: colour, stack: "split" };
    }

    var charts = {
      members: { type: "line", datasets: [line("Members", data.members, colours[0]), line("Active members", data.active, colours[1])] },
      posts: { type: "bar", datasets: [{ label: "Threads and replies", data: data.posts, backgroundColor: colours[2] }] },
      firstAnswer: { type: "line", datasets: [line("Median hours to first answer", data.firstAnswer, colours[1])] },
      turnover: {
        type: "line",
        datasets: [
          line("New contributors", data.newContributors, colours[0]),
          line("Inactive contributors", data.inactiveContributors, colours[1]),
          Object.assign(line("Burstiness (-1 to 1)", data.burstiness, colours[2]), { yAxisID: "burst" })
        ],
        burst: true
      },
      split: {
        type: "bar",
        datasets: [bar("Lurkers", data.lurkers, colours[3]), bar("Contributors", data.contributors, colours[2]), bar("Creators", data.creators, colours[0])],
        stacked: true
      }
    };

    document.querySelectorAll("canvas[data-health-chart]").forEach(function (canvas) {
      var spec = charts[canvas.getAttribute("data-health-chart")];
      if (!spec) return;
      var scales = spec.stacked ? { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } : { y: { beginAtZero: true } };
      if (spec.burst) scales.burst = { position: "right", min: -1, max: 1, grid: { drawOnChartArea: false } };
      new window.Chart(canvas, {
        type: spec.type,
        data: { labels: data.labels, datasets: spec.datasets },
        options: { responsive: true, maintainAspectRatio: false, animation: false, scales: scales }
      });
      canvas.setAttribute("data-drawn", "true");
    });
  });
})();
