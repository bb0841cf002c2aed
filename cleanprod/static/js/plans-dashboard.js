// Moved out of the page template: the Content-Security-Policy allows no inline script.
document.addEventListener("DOMContentLoaded", async () => {
  const data = JSON.parse(document.getElementById("dashboard-data").textContent);
  const labels = document.getElementById("dashboard-data-labels").dataset;
  const metric = encodeURIComponent(data.filters.metric);
  const go = code => { window.location.href = `?region=${code}&metric=${metric}`; };
  const t = data.trend.target;
  const series = [{name: data.metric.label, type: "line", data: data.trend.years.map((y, i) => [y, data.trend.values[i]])}];
  if (t) {
    // From the plan's baseline to the target; without one, the target level over the years.
    const xs = [...data.trend.years, t.year];
    const line = t.baseline ? [t.baseline, [t.year, t.value]]
      : [[Math.min(...xs), t.value], [Math.max(...xs), t.value]];
    series.push({name: labels.target, type: "line", lineStyle: {type: "dashed"}, data: line});
    if (data.trend.projection !== null && data.trend.years.length) {
      const last = data.trend.years.length - 1;
      series.push({name: labels.projection, type: "line", lineStyle: {type: "dotted"},
        data: [[data.trend.years[last], data.trend.values[last]], [t.year, data.trend.projection]]});
    }
  }
  echarts.init(document.getElementById("trend-chart")).setOption({
    tooltip: {trigger: "axis"}, legend: {},
    xAxis: {type: "value", min: "dataMin", max: "dataMax", minInterval: 1, axisLabel: {formatter: String}},
    yAxis: {type: "value", name: data.metric.unit}, series});
  const values = data.children.map(c => c.value).filter(v => v !== null);
  const max = values.length ? Math.max(...values) : 1;
  const min = values.length ? Math.min(...values) : 0;
  if (data.level === 0) {
    const geo = await (await fetch(labels.mapUrl)).json();
    echarts.registerMap("china", geo);
    const nameOf = {}, codeOf = {};
    geo.features.forEach(f => { nameOf[f.id] = f.properties.name; codeOf[f.properties.name] = f.id; });
    const chart = echarts.init(document.getElementById("map-chart"));
    chart.setOption({
      tooltip: {trigger: "item"},
      visualMap: {min: min < max ? min : 0, max: max || 1, calculable: true, left: "left", bottom: 0,
        inRange: {color: ["#e0f3db", "#a8ddb5", "#43a2ca", "#0868ac"]}},
      series: [{type: "map", map: "china", roam: false, name: data.metric.label,
        data: data.children.filter(c => nameOf[c.code]).map(c => ({name: nameOf[c.code], value: c.value}))}]});
    chart.on("click", params => { if (codeOf[params.name]) go(codeOf[params.name]); });
  } else {
    const rows = data.ranking.slice().reverse();
    const chart = echarts.init(document.getElementById("ranking-chart"));
    chart.setOption({tooltip: {}, grid: {left: 120}, xAxis: {type: "value"},
      yAxis: {type: "category", data: rows.map(r => r.name), axisLabel: {interval: 0}},
      series: [{type: "bar", data: rows.map(r => r.value)}]});
    if (data.level < 3) chart.on("click", params => go(rows[params.dataIndex].code));
  }
});
