// Moved out of the page template: the Content-Security-Policy allows no inline script.
document.addEventListener("DOMContentLoaded", () => {
  const rows = JSON.parse(document.getElementById("chart-data").textContent);
  const chart = echarts.init(document.getElementById("category-chart"));
  chart.setOption({tooltip: {trigger: "axis"}, legend: {}, grid: {left: 120},
    xAxis: {type: "value", max: 100, name: "%"}, yAxis: {type: "category", data: rows.map(r => r.category)},
    series: ["I", "II", "III"].map(k => ({name: k + "级", type: "bar", data: rows.map(r => r[k])}))});
});
