import Foundation

/// The only style sheet and script the pages load, served by Kiln itself (no CDN, nothing inline,
/// so the Content-Security-Policy can forbid everything else).
enum StaticAssets {
  static func asset(named name: String) -> UIResponse? {
    switch name {
    case "ui.css": return UIResponse(contentType: "text/css; charset=utf-8", body: Data(css.utf8))
    case "ui.js": return UIResponse(contentType: "text/javascript; charset=utf-8", body: Data(script.utf8))
    default: return nil
    }
  }

  static let css = """
  body { font-family: system-ui, sans-serif; margin: 0; color: #222; background: #fff; }
  header { background: #2b2d42; color: #fff; padding: 8px 16px; }
  header a { color: #ddd; margin-right: 12px; text-decoration: none; }
  header a.current { color: #fff; font-weight: bold; border-bottom: 2px solid #e69f00; }
  .brand { font-weight: bold; margin-right: 24px; }
  main { padding: 12px 16px; }
  h1 { font-size: 1.4em; margin: 4px 0 12px; }
  h2 { font-size: 1.15em; margin: 20px 0 8px; }
  table { border-collapse: collapse; font-size: 13px; margin-bottom: 8px; }
  th, td { border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
  th { background: #f3f3f3; position: sticky; top: 0; }
  td.number { text-align: right; font-variant-numeric: tabular-nums; }
  tr.differs td { background: #fff4d6; }
  .error { color: #a00; font-weight: bold; }
  .ok { color: #070; font-weight: bold; }
  .muted { color: #777; }
  form.filter input[type=text] { width: 40em; font-family: monospace; }
  details.columns { margin: 6px 0; font-size: 13px; }
  details.columns label { display: inline-block; margin-right: 10px; }
  figure { display: inline-block; margin: 4px 12px 12px 0; position: relative; }
  .tooltip { position: absolute; background: #222; color: #fff; font-size: 11px; padding: 2px 5px; border-radius: 3px; pointer-events: none; }
  .hidden { display: none; }
  .timeline { display: flex; height: 22px; border: 1px solid #999; margin: 4px 0; }
  .timeline span { display: block; height: 100%; overflow: hidden; font-size: 11px; white-space: nowrap; }
  .stage-production { background: #009e73; color: #fff; }
  .stage-staging { background: #e69f00; }
  .stage-archived { background: #bbb; }
  .stage-none { background: #eee; }
  iframe.card { width: 100%; height: 900px; border: 1px solid #ccc; }
  pre { background: #f6f6f6; padding: 8px; overflow-x: auto; font-size: 12px; }
  .pager a { margin-right: 12px; }
  """

  /// Hover values on line charts (the nearest point of the curve under the pointer, read from
  /// the figure's data: the same downsampled points the server drew), and the live refresh of a
  /// running run: every `data-interval` ms each metric asks for the steps after the last one it
  /// has (`?after_step=`), updates its latest value and extends its chart — redrawn in the plot
  /// area the server drew, with the axis labels read anew — until the run has ended.
  static let script = """
  'use strict';
  function kilnHover(figure) {
    figure.kilnData = JSON.parse(figure.getAttribute('data-points') || '[]');
    const line = figure.querySelector('polyline');
    if (!line || figure.kilnData.length === 0) return;
    const tip = document.createElement('div');
    tip.className = 'tooltip hidden';
    figure.appendChild(tip);
    const svg = figure.querySelector('svg');
    svg.addEventListener('mousemove', event => {
      const pixels = line.getAttribute('points').trim().split(' ').map(p => p.split(',').map(Number));
      const box = svg.getBoundingClientRect();
      const scale = svg.viewBox.baseVal.width / box.width;
      const x = (event.clientX - box.left) * scale;
      let best = 0;
      for (let i = 1; i < pixels.length; i++) {
        if (Math.abs(pixels[i][0] - x) < Math.abs(pixels[best][0] - x)) best = i;
      }
      const point = figure.kilnData[Math.min(best, figure.kilnData.length - 1)];
      tip.textContent = 'step ' + point[0] + ': ' + point[1];
      tip.style.left = (event.clientX - box.left + 8) + 'px';
      tip.style.top = (event.clientY - box.top - 18) + 'px';
      tip.classList.remove('hidden');
    });
    svg.addEventListener('mouseleave', () => tip.classList.add('hidden'));
  }
  function kilnPadded(values) {
    const low = Math.min(...values), high = Math.max(...values);
    if (high - low < 1e-12) return [low - 0.5, high + 0.5];
    const pad = (high - low) * 0.05;
    return [low - pad, high + pad];
  }
  function kilnExtend(figure, points, count) {
    const data = figure.kilnData || [];
    const weight = Number(figure.getAttribute('data-smooth') || '0');
    const log = figure.getAttribute('data-scale') === 'log';
    for (const point of points) {
      const previous = data.length > 0 ? data[data.length - 1][1] : point.value;
      const value = weight > 0 ? weight * previous + (1 - weight) * point.value : point.value;
      if (!log || value > 0) data.push([point.step, value]);
    }
    // Past twice the server's budget, every second point of the older half goes.
    if (data.length > 4000) {
      const half = Math.floor(data.length / 2);
      figure.kilnData = data.slice(0, half).filter((_, i) => i % 2 === 0).concat(data.slice(half));
    } else {
      figure.kilnData = data;
    }
    if (points.length > 0) figure.setAttribute('data-last-step', String(points[points.length - 1].step));
    const shown = figure.querySelector('figcaption .count');
    if (shown) shown.textContent = String(Number(shown.textContent) + count);
    const frame = figure.querySelector('svg rect');
    const line = figure.querySelector('polyline');
    if (!frame || !line || figure.kilnData.length === 0) return;
    const left = Number(frame.getAttribute('x')), top = Number(frame.getAttribute('y'));
    const width = Number(frame.getAttribute('width')), height = Number(frame.getAttribute('height'));
    const ys = figure.kilnData.map(p => log ? Math.log10(p[1]) : p[1]);
    const [x0, x1] = kilnPadded(figure.kilnData.map(p => p[0])), [y0, y1] = kilnPadded(ys);
    const mapX = x => left + (x - x0) / Math.max(x1 - x0, 1e-12) * width;
    const mapY = y => top + height - (y - y0) / Math.max(y1 - y0, 1e-12) * height;
    line.setAttribute('points', figure.kilnData.map((p, i) => mapX(p[0]).toFixed(2) + ',' + mapY(ys[i]).toFixed(2)).join(' '));
    const label = v => String(Number(v.toPrecision(4)));
    for (const text of figure.querySelectorAll('svg > text')) {
      const x = Number(text.getAttribute('x')), y = Number(text.getAttribute('y'));
      if (text.getAttribute('text-anchor') === 'middle' && Math.abs(y - (top + height + 15)) < 0.01) {
        text.textContent = label(x0 + (x - left) / width * (x1 - x0));
      } else if (text.getAttribute('text-anchor') === 'end') {
        text.textContent = label(y0 + (top + height - (y - 4)) / height * (y1 - y0));
      }
    }
  }
  function kilnLive(table) {
    const url = table.getAttribute('data-live');
    const interval = Number(table.getAttribute('data-interval') || '5000');
    async function refresh() {
      let running = false;
      for (const row of table.querySelectorAll('tr[data-key]')) {
        const key = row.getAttribute('data-key');
        const figure = Array.from(document.querySelectorAll('figure[data-key]')).find(f => f.getAttribute('data-key') === key);
        const after = figure ? figure.getAttribute('data-last-step') : row.getAttribute('data-step');
        const response = await fetch(url + '?key=' + encodeURIComponent(key) + '&after_step=' + encodeURIComponent(after));
        if (!response.ok) continue;
        const body = await response.json();
        running = running || body.status === 'running';
        if (body.points.length === 0) continue;
        const last = body.points[body.points.length - 1];
        row.setAttribute('data-step', String(last.step));
        row.querySelector('.step').textContent = String(last.step);
        row.querySelector('.value').textContent = String(last.value);
        if (figure) kilnExtend(figure, body.points, body.count);
      }
      if (running) setTimeout(refresh, interval);
    }
    if (table.getAttribute('data-running') === 'true') setTimeout(refresh, interval);
  }
  document.querySelectorAll('.timeline span[data-share]').forEach(span => { span.style.flexGrow = span.getAttribute('data-share'); });
  document.querySelectorAll('figure[data-points]').forEach(kilnHover);
  document.querySelectorAll('table[data-live]').forEach(kilnLive);
  """
}
