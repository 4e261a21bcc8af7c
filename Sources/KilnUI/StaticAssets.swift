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

  /// Hover values on line charts: the nearest point of the curve under the pointer, read from
  /// the figure's data (the same downsampled points the server drew), and the live refresh of a
  /// running run's latest values.
  static let script = """
  'use strict';
  function kilnHover(figure) {
    const data = JSON.parse(figure.getAttribute('data-points') || '[]');
    const line = figure.querySelector('polyline');
    if (!line || data.length === 0) return;
    const pixels = line.getAttribute('points').trim().split(' ').map(p => p.split(',').map(Number));
    const tip = document.createElement('div');
    tip.className = 'tooltip hidden';
    figure.appendChild(tip);
    const svg = figure.querySelector('svg');
    svg.addEventListener('mousemove', event => {
      const box = svg.getBoundingClientRect();
      const scale = svg.viewBox.baseVal.width / box.width;
      const x = (event.clientX - box.left) * scale;
      let best = 0;
      for (let i = 1; i < pixels.length; i++) {
        if (Math.abs(pixels[i][0] - x) < Math.abs(pixels[best][0] - x)) best = i;
      }
      const point = data[Math.min(best, data.length - 1)];
      tip.textContent = 'step ' + point[0] + ': ' + point[1];
      tip.style.left = (event.clientX - box.left + 8) + 'px';
      tip.style.top = (event.clientY - box.top - 18) + 'px';
      tip.classList.remove('hidden');
    });
    svg.addEventListener('mouseleave', () => tip.classList.add('hidden'));
  }
  function kilnLive(table) {
    const url = table.getAttribute('data-live');
    async function refresh() {
      for (const row of table.querySelectorAll('tr[data-key]')) {
        const after = row.getAttribute('data-step');
        const response = await fetch(url + '?key=' + encodeURIComponent(row.getAttribute('data-key')) + '&after=' + after);
        if (!response.ok) continue;
        const body = await response.json();
        if (body.points.length > 0) {
          const last = body.points[body.points.length - 1];
          row.setAttribute('data-step', String(last.step));
          row.querySelector('.step').textContent = String(last.step);
          row.querySelector('.value').textContent = String(last.value);
        }
      }
      if (table.getAttribute('data-running') === 'true') setTimeout(refresh, 5000);
    }
    if (table.getAttribute('data-running') === 'true') setTimeout(refresh, 5000);
  }
  document.querySelectorAll('.timeline span[data-share]').forEach(span => { span.style.flexGrow = span.getAttribute('data-share'); });
  document.querySelectorAll('figure[data-points]').forEach(kilnHover);
  document.querySelectorAll('table[data-live]').forEach(kilnLive);
  """
}
