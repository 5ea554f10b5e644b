// Draws every chart of the page from the option the server built (script#<id>-option). The server aggregates; this only draws.
(function () {
  if (typeof echarts === 'undefined') {
    document.querySelectorAll('.chart').forEach(function (el) { el.textContent = 'The chart library did not load.'; });
    return;
  }
  var charts = [];
  document.querySelectorAll('.chart[data-chart]').forEach(function (el) {
    var source = document.getElementById(el.id + '-option');
    if (!source) return;
    var chart = echarts.init(el, null, { renderer: 'canvas' });
    chart.setOption(JSON.parse(source.textContent));
    // For tests and assistive checks: how many data points the drawn series hold.
    var drawn = (chart.getOption().series || []).reduce(function (n, s) { return n + ((s.data || []).length); }, 0);
    el.setAttribute('data-rendered-points', String(drawn));
    charts.push(chart);
  });
  window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
})();
