// Moved out of the page template: the Content-Security-Policy allows no inline script.
document.addEventListener("DOMContentLoaded", () => {
  if (!document.getElementById("by-region")) return;  // no system graded yet: no chart
  const rows = JSON.parse(document.getElementById("by-region").textContent);
  const names = JSON.parse(document.getElementById("region-names").textContent);
  const codes = Object.keys(rows);
  const chart = echarts.init(document.getElementById("grade-chart"));
  chart.setOption({tooltip: {trigger: "axis"}, legend: {}, xAxis: {type: "category", data: codes.map(c => names[c] || c)},
    yAxis: {type: "value"}, series: ["I", "II", "III", "BELOW"].map(g => ({name: g, type: "bar", stack: "g", data: codes.map(c => rows[c][g])}))});
});
