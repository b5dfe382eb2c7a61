// streammetrics live console. Plain JavaScript, no build step; charts by uPlot (served from its webjar).
//
// Data: one GET of api/update per dashboard refresh (1 s by default). The first answer carries the whole history kept
// in the process (15 minutes); later ones only the points after the last update this page has seen ("since").
// Writes (acknowledge, silence, expire) go to the operator API under /api/ as JSON (Content-Type: application/json,
// which a cross-site form cannot send) with the page's own credentials.
//
// Every text that comes from the server (label values, annotations, names) is put into the page with textContent or
// as an option's text, never as HTML: a label value "<img src=x onerror=alert(1)>" shows as those characters.
'use strict';
(function () {
  const OPERATOR_API = '/api/';
  // The history and the silences change when alerts do: fetched then, and at least this often.
  const HISTORY_REFRESH_MS = 30000;

  const state = {
    seq: -1,
    capacity: 900,
    intervalMillis: 1000,
    windowSeconds: 60,
    times: [],              // seconds since the epoch, one per update kept
    stages: new Map(),      // "pipeline/stage" -> stage view
    heatmaps: new Map(),    // family -> heatmap view
    custom: [],             // charts of "any metric", in the order of the URL
    catalogue: [],
    lastHistoryFetch: 0,
    alertsSignature: '',
    paused: false,
    updates: 0,
  };
  // For tests and the curious: what the page holds and draws from.
  window.streammetricsConsole = state;

  // ---------------------------------------------------------------- DOM helpers (text only, never HTML)

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    if (props) {
      for (const [key, value] of Object.entries(props)) {
        if (value === undefined || value === null) continue;
        if (key === 'class') node.className = value;
        else if (key === 'text') node.textContent = value;
        else if (key === 'dataset') Object.assign(node.dataset, value);
        else if (key.startsWith('on')) node.addEventListener(key.substring(2), value);
        else node.setAttribute(key, value);
      }
    }
    for (const child of children) {
      if (child === undefined || child === null) continue;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }

  function replaceRows(tbody, rows, columns, emptyText) {
    tbody.replaceChildren();
    if (rows.length === 0) {
      tbody.appendChild(el('tr', null, el('td', { class: 'empty', colspan: String(columns), text: emptyText })));
      return;
    }
    for (const row of rows) tbody.appendChild(row);
  }

  function labelChips(labels, skip) {
    const span = el('span');
    for (const [name, value] of Object.entries(labels || {}).sort()) {
      if (skip && skip.includes(name)) continue;
      span.appendChild(el('span', { class: 'chip', text: name + '=' + value }));
    }
    return span;
  }

  function labelsText(labels) {
    const parts = Object.entries(labels || {}).sort().map(([k, v]) => k + '="' + v + '"');
    return '{' + parts.join(', ') + '}';
  }

  // ---------------------------------------------------------------- formatting

  function si(value, unit) {
    if (value === null || value === undefined || Number.isNaN(value)) return '–';
    const abs = Math.abs(value);
    const steps = [[1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
    for (const [factor, prefix] of steps) {
      if (abs >= factor) return (value / factor).toPrecision(3) + ' ' + prefix + unit;
    }
    return (abs >= 100 ? value.toFixed(0) : value.toPrecision(3)) + (unit ? ' ' + unit : '');
  }

  function seconds(value) {
    if (value === null || value === undefined || Number.isNaN(value)) return '–';
    const abs = Math.abs(value);
    if (abs >= 1) return value.toPrecision(3) + ' s';
    if (abs >= 1e-3) return (value * 1e3).toPrecision(3) + ' ms';
    if (abs >= 1e-6) return (value * 1e6).toPrecision(3) + ' µs';
    return (value * 1e9).toPrecision(3) + ' ns';
  }

  function percent(value) {
    if (value === null || value === undefined || Number.isNaN(value)) return '–';
    return (value * 100).toPrecision(3) + ' %';
  }

  function ago(iso) {
    if (!iso) return '–';
    const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
    if (s < 60) return s + ' s ago';
    if (s < 3600) return Math.floor(s / 60) + ' min ' + (s % 60) + ' s ago';
    return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min ago';
  }

  function clock(iso) {
    return iso ? new Date(Date.parse(iso)).toLocaleTimeString() : '–';
  }

  function number(value) {
    if (value === null || value === undefined) return '–';
    if (typeof value === 'string') return value;
    return Math.abs(value) >= 1e4 || (Math.abs(value) < 1e-3 && value !== 0) ? value.toExponential(3) : String(+value.toPrecision(4));
  }

  // ---------------------------------------------------------------- HTTP

  async function getJson(url) {
    const response = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error(url + ': HTTP ' + response.status + ' ' + (await errorText(response)));
    return response.json();
  }

  async function send(method, url, body) {
    const response = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(method + ' ' + url + ': HTTP ' + response.status + ' ' + (await errorText(response)));
    return response.json();
  }

  async function errorText(response) {
    try {
      const json = await response.json();
      return json.error || '';
    } catch (e) {
      return '';
    }
  }

  function setStatus(text, isError) {
    const status = document.getElementById('status');
    status.textContent = text;
    status.className = 'status' + (isError ? ' error' : '');
  }

  // ---------------------------------------------------------------- history arrays

  // Appends the new points of one series (or starts over), padding a series that is new in an appended update.
  function merge(existing, incoming, append, oldLength) {
    let values = append ? existing || [] : [];
    if (append && values.length < oldLength) values = values.concat(new Array(oldLength - values.length).fill(null));
    values = values.concat(incoming);
    return values;
  }

  function trim(values) {
    const excess = values.length - state.capacity;
    return excess > 0 ? values.slice(excess) : values;
  }

  // ---------------------------------------------------------------- charts

  const COLORS = ['#58a6ff', '#3fb950', '#d29922', '#f85149', '#bc8cff', '#39c5cf', '#ff7b72', '#a5d6ff',
    '#7ee787', '#e3b341', '#ffa198', '#d2a8ff'];

  // One formatter for every tick label: toLocaleTimeString with options builds a new one per call.
  const TICK_TIME = new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

  // Series paths, kept from one update to the next.
  //
  // uPlot's own path builder turns every point of every series into pixels on each update: with 50 series of 900
  // points that was nearly all of an update's scripting time (the native lineTo calls, 45,000 per update). A series only
  // gains points at its end, as the history moves forward, so its path is kept in data coordinates (seconds since the
  // path's first point; the value, or its log10 on a log scale), extended by the new points only, and mapped to the
  // canvas by one affine transform per draw (Path2D.addPath, in native code). It starts over when the history does
  // (a page that fetched from scratch, an older first point) or when it holds twice the points shown.
  function cachedPaths(u, seriesIdx, idx0, idx1) {
    const series = u.series[seriesIdx];
    const xs = u.data[0];
    const ys = u.data[seriesIdx];
    const scale = u.scales[series.scale];
    const xScale = u.scales.x;
    const log = scale.distr === 3;
    let cache = series.pathCache;
    if (!cache || !(xs[idx0] >= cache.first) || cache.points > 2 * (idx1 - idx0 + 1) + 60) {
      cache = series.pathCache = { path: new Path2D(), origin: xs[idx0], first: xs[idx0], last: -Infinity, points: 0,
        penDown: false };
    }
    let i = idx1;
    while (i >= idx0 && xs[i] > cache.last) i--;
    for (i++; i <= idx1; i++) {
      const v = ys[i];
      // Skia keeps path points as 32-bit floats: times relative to the path's origin, values clamped to its range.
      const y = v === null || v === undefined || (log && !(v > 0)) ? NaN
        : Math.max(-1e30, Math.min(1e30, log ? Math.log10(v) : v));
      if (Number.isNaN(y)) {
        cache.penDown = false;
      } else {
        if (cache.penDown) cache.path.lineTo(xs[i] - cache.origin, y);
        else cache.path.moveTo(xs[i] - cache.origin, y);
        cache.penDown = true;
      }
      cache.last = xs[i];
      cache.points++;
    }
    const stroke = new Path2D();
    const { left, top, width, height } = u.bbox;
    const low = log ? Math.log10(scale.min) : scale.min;
    const high = log ? Math.log10(scale.max) : scale.max;
    const a = width / (xScale.max - xScale.min);
    const d = -height / (high - low);
    if (Number.isFinite(a) && Number.isFinite(d)) {
      const e = left + (cache.origin - xScale.min) * a;
      stroke.addPath(cache.path, new DOMMatrix([a, 0, 0, d, e, top + height - low * d]));
    }
    // flags 1: uPlot's BAND_CLIP_FILL, as its own builders answer.
    return { stroke, fill: null, clip: null, band: null, gaps: null, flags: 1 };
  }

  function chart(title, seriesSpecs, target, opts) {
    const width = (opts && opts.width) || 420;
    const height = (opts && opts.height) || 150;
    const font = '10px "DejaVu Sans", sans-serif';
    const axes = [
      { stroke: '#8a96a3', font, grid: { stroke: '#222a33' }, ticks: { stroke: '#222a33' }, space: 60,
        values: (u, ticks) => ticks.map((t) => (t == null ? '' : TICK_TIME.format(t * 1000))) },
      { stroke: '#8a96a3', font, grid: { stroke: '#222a33' }, ticks: { stroke: '#222a33' }, size: 64, space: 22,
        splits: opts && opts.log ? logSplits : undefined,
        values: (u, ticks) => ticks.map((v) => (v == null ? '' : compact(seriesSpecs[0].format(v)))) },
    ];
    // Rates, ratios and sizes start at zero; an all-zero series still gets a readable axis.
    const fromZero = { range: (u, min, max) => [0, max > 0 ? max * 1.1 : (opts && opts.emptyMax) || 1] };
    const scales = { x: { time: true }, y: opts && opts.log ? { distr: 3 } : fromZero };
    if (opts && opts.y2) {
      scales.y2 = fromZero;
      axes.push({ scale: 'y2', side: 1, stroke: '#8a96a3', font, grid: { show: false }, size: 64, space: 22,
        values: (u, ticks) => ticks.map((v) => (v == null ? '' : compact(opts.y2Format(v)))) });
    }
    const series = [{}].concat(seriesSpecs.map((spec, i) => ({
      label: spec.label,
      stroke: spec.color || COLORS[i % COLORS.length],
      width: 1.5,
      dash: spec.dash,
      scale: spec.scale || 'y',
      spanGaps: false,
      value: (u, v) => spec.format(v),
      points: { show: false },
      paths: cachedPaths,
    })));
    // A legend of many series that follows every update costs more DOM work than the chart itself: values on hover.
    const live = seriesSpecs.length <= 10;
    const plot = new uPlot({ title, width, height, series, axes, scales, cursor: { drag: { x: false, y: false } },
      legend: { live } }, [[]].concat(seriesSpecs.map(() => [])), target);
    return plot;
  }

  // At most five decades labelled on a log axis, whatever the range.
  function logSplits(u, axisIdx, min, max) {
    if (!(min > 0) || !(max > 0)) return [];
    const low = Math.floor(Math.log10(min));
    const high = Math.ceil(Math.log10(max));
    const step = Math.max(1, Math.ceil((high - low) / 4));
    const splits = [];
    for (let e = low; e <= high; e += step) splits.push(Math.pow(10, e));
    return splits;
  }

  // Axis labels: "40.0 MB/s" -> "40 MB/s", "1.00 ms" -> "1 ms".
  function compact(text) {
    return text.replace(/\.0+(?=\s|$)/, '').replace(/(\.\d*?)0+(?=\s|$)/, '$1');
  }

  // ---------------------------------------------------------------- what is on screen

  // A chart, heatmap or stage card outside the viewport is not redrawn on an update: its data is kept, and it is
  // drawn when it scrolls into view. A page with many stages then costs what the visible part of it does.
  const visibility = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      const view = entry.target.consoleView;
      view.visible = entry.isIntersecting;
      if (view.visible && view.stale) {
        view.stale = false;
        view.draw(view);
      }
    }
  });

  function watchVisibility(view, element, draw) {
    element.consoleView = view;
    view.visible = true;        // until the observer says otherwise
    view.stale = false;
    view.draw = draw;
    view.observed = element;
    visibility.observe(element);
  }

  function unwatchVisibility(view) {
    visibility.unobserve(view.observed);
  }

  // Draws the view now when it is on screen, else when it comes into view.
  function drawWhenVisible(view) {
    if (view.visible) view.draw(view);
    else view.stale = true;
  }

  // ---------------------------------------------------------------- stages

  const STAGE_COLUMNS = [
    ['recordsPerSecond', 'records/s', (v) => si(v, '/s')],
    ['bytesPerSecond', 'bytes/s', (v) => si(v, 'B/s')],
    ['errorRatio', 'error ratio', percent],
    ['p50', 'p50 processing', seconds],
    ['p99', 'p99 processing', seconds],
    ['p999', 'p99.9 processing', seconds],
    ['endToEndP50', 'p50 end-to-end', seconds],
    ['endToEndP99', 'p99 end-to-end', seconds],
    ['endToEndP999', 'p99.9 end-to-end', seconds],
    ['queueSize', 'queue size', (v) => si(v, '')],
  ];

  function stageView(key, pipeline, stage) {
    const card = el('div', { class: 'card stage', dataset: { stage: key } });
    card.appendChild(el('h4', null, el('span', { text: stage }), el('span', { class: 'hint', text: pipeline })));
    const charts = el('div', { class: 'charts' });
    card.appendChild(charts);
    // The latest values, as text: what a reader (or a test) compares with /api/dashboard.
    const latest = el('div', { class: 'latest' });
    const cells = {};
    for (const [name, label] of STAGE_COLUMNS) {
      cells[name] = el('span', { class: 'value', dataset: { column: name } });
      latest.appendChild(el('span', { class: 'pair' }, el('span', { class: 'name', text: label }), cells[name]));
    }
    card.appendChild(latest);
    document.getElementById('stages').appendChild(card);
    const view = { key, pipeline, stage, card, cells, columns: {}, plots: [] };
    watchVisibility(view, charts, drawStageCharts);
    const size = { width: 310, height: 130 };
    const find = (name) => STAGE_COLUMNS.find((c) => c[0] === name);
    view.plots.push([chart('throughput', [
      { label: 'records/s', format: find('recordsPerSecond')[2] },
      { label: 'bytes/s', format: find('bytesPerSecond')[2], scale: 'y2', dash: [4, 3] }],
    charts, Object.assign({ y2: true, y2Format: (v) => si(v, 'B/s') }, size)), ['recordsPerSecond', 'bytesPerSecond']]);
    view.plots.push([chart('error ratio', [{ label: 'errors', format: percent, color: '#f85149' }], charts,
      Object.assign({ emptyMax: 0.01 }, size)), ['errorRatio']]);
    view.plots.push([chart('latency', [
      { label: 'p50', format: seconds }, { label: 'p99', format: seconds }, { label: 'p99.9', format: seconds },
      { label: 'e2e p50', format: seconds, dash: [4, 3] }, { label: 'e2e p99', format: seconds, dash: [4, 3] },
      { label: 'e2e p99.9', format: seconds, dash: [4, 3] }],
    charts, Object.assign({ log: true }, size)), ['p50', 'p99', 'p999', 'endToEndP50', 'endToEndP99', 'endToEndP999']]);
    view.plots.push([chart('queue size', [{ label: 'queued', format: (v) => si(v, '') }], charts, size), ['queueSize']]);
    return view;
  }

  function applyStages(stages, append, oldLength) {
    const seen = new Set();
    for (const stage of stages) {
      const key = stage.pipeline + '/' + stage.stage;
      seen.add(key);
      let view = state.stages.get(key);
      if (!view) {
        view = stageView(key, stage.pipeline, stage.stage);
        state.stages.set(key, view);
      }
      for (const [name] of STAGE_COLUMNS) {
        view.columns[name] = trim(merge(view.columns[name], stage.columns[name], append, oldLength));
      }
    }
    for (const [key, view] of state.stages) {
      if (!seen.has(key)) {
        view.card.remove();
        unwatchVisibility(view);
        state.stages.delete(key);
      }
    }
  }

  function drawStages() {
    for (const view of state.stages.values()) {
      for (const [name, , format] of STAGE_COLUMNS) {
        const values = view.columns[name];
        const last = values.length ? values[values.length - 1] : null;
        view.cells[name].textContent = format(last);
        view.cells[name].dataset.raw = last === null ? '' : String(last);
      }
      drawWhenVisible(view);
    }
  }

  function drawStageCharts(view) {
    for (const [plot, names] of view.plots) {
      plot.setData([state.times].concat(names.map((n) => view.columns[n])));
    }
  }

  // ---------------------------------------------------------------- heatmaps

  let heatmapLayout = { firstPower: 5, rowsPerOctave: 2, rows: 64 };

  function rowStartSeconds(row) {
    return Math.pow(2, heatmapLayout.firstPower + row / heatmapLayout.rowsPerOctave) / 1e9;
  }

  function heatmapView(family, help) {
    const card = el('div', { class: 'card heatmap', dataset: { family } });
    card.appendChild(el('h4', null, el('span', { text: family })));
    card.appendChild(el('div', { class: 'hint help', text: help || '', title: help || '' }));
    const canvas = el('canvas', { class: 'heatmap-canvas', width: '440', height: '170' });
    const tooltip = el('div', { class: 'tooltip', text: ' ' });
    card.appendChild(canvas);
    card.appendChild(tooltip);
    document.getElementById('heatmaps').appendChild(card);
    const view = { family, card, canvas, tooltip, cells: [], lowRow: 0, highRow: 0 };
    watchVisibility(view, canvas, drawHeatmap);
    canvas.addEventListener('mousemove', (event) => hoverHeatmap(view, event));
    canvas.addEventListener('mouseleave', () => { tooltip.textContent = ' '; });
    return view;
  }

  function applyHeatmaps(heatmap, append, oldLength) {
    heatmapLayout = heatmap;
    const seen = new Set();
    for (const family of heatmap.families) {
      seen.add(family.family);
      let view = state.heatmaps.get(family.family);
      if (!view) {
        view = heatmapView(family.family, family.help);
        state.heatmaps.set(family.family, view);
      }
      // Each update: a sparse [row, count, row, count, ...] list.
      view.cells = trim(merge(view.cells, family.cells, append, oldLength).map((c) => c || []));
    }
    for (const [family, view] of state.heatmaps) {
      if (!seen.has(family)) {
        view.card.remove();
        unwatchVisibility(view);
        state.heatmaps.delete(family);
      }
    }
  }

  const LEFT = 64;
  const BOTTOM = 18;

  // The heatmap is drawn as an image of one pixel per canvas column and one per latency row, scaled up to the plot
  // (no smoothing): one putImageData and one drawImage instead of a fillRect and a colour string per cell. A canvas
  // column covers several seconds (900 in about 380 pixels): it shows the largest count among them, so that a spike of
  // a single second stays visible.
  function drawHeatmap(view) {
    const canvas = view.canvas;
    const ctx = canvas.getContext('2d');
    const width = canvas.width;
    const height = canvas.height;
    ctx.fillStyle = BACKGROUND;
    ctx.fillRect(0, 0, width, height);
    let low = Infinity;
    let high = -Infinity;
    let max = 0;
    for (const cells of view.cells) {
      for (let i = 0; i < cells.length; i += 2) {
        if (cells[i] < low) low = cells[i];
        if (cells[i] > high) high = cells[i];
        if (cells[i + 1] > max) max = cells[i + 1];
      }
    }
    if (max === 0) {
      ctx.fillStyle = '#8a96a3';
      ctx.font = '12px "DejaVu Sans", sans-serif';
      ctx.fillText('nothing recorded yet', LEFT + 8, height / 2);
      view.lowRow = view.highRow = 0;
      return;
    }
    low = Math.max(0, low - 1);
    high = Math.min(heatmapLayout.rows - 1, high + 1);
    view.lowRow = low;
    view.highRow = high;
    const plotWidth = width - LEFT;
    const plotHeight = height - BOTTOM;
    const rows = high - low + 1;
    const span = heatmapSpan(view);
    const columnWidth = plotWidth / span;
    const offset = span - view.cells.length;     // the newest update at the right edge
    const image = heatmapImage(view, plotWidth, rows);
    const counts = image.counts;
    counts.fill(0);
    view.cells.forEach((cells, column) => {
      const from = Math.floor((offset + column) * columnWidth);
      const to = Math.min(plotWidth, Math.max(from + 1, Math.floor((offset + column + 1) * columnWidth)));
      for (let i = 0; i < cells.length; i += 2) {
        const base = (high - cells[i]) * plotWidth;     // the slowest row at the top
        for (let x = from; x < to; x++) {
          if (cells[i + 1] > counts[base + x]) counts[base + x] = cells[i + 1];
        }
      }
    });
    const pixels = image.pixels;
    const scale = (COLOR_STEPS - 1) / Math.log1p(max);
    for (let p = 0; p < counts.length; p++) {
      pixels[p] = counts[p] === 0 ? BACKGROUND_PIXEL : COLOR_TABLE[Math.round(Math.log1p(counts[p]) * scale)];
    }
    image.context.putImageData(image.data, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(image.canvas, LEFT, 0, plotWidth, plotHeight);
    const rowHeight = plotHeight / rows;
    ctx.fillStyle = '#8a96a3';
    ctx.font = '10px "DejaVu Sans", sans-serif';
    const labelEvery = Math.max(1, Math.ceil(12 / rowHeight));
    for (let row = low; row <= high; row += labelEvery) {
      ctx.fillText(seconds(rowStartSeconds(row)), 2, plotHeight - (row - low) * rowHeight - 1);
    }
    if (state.times.length) {
      ctx.fillText(new Date(state.times[state.times.length - 1] * 1000).toLocaleTimeString(), width - 60, height - 4);
      const minutes = span * state.intervalMillis / 60000;
      ctx.fillText('−' + (minutes >= 2 ? Math.round(minutes) + ' min' : Math.round(minutes * 60) + ' s'), LEFT, height - 4);
    }
  }

  // The view's image buffers, made again only when the number of rows or the plot's width changes.
  function heatmapImage(view, columns, rows) {
    let image = view.image;
    if (!image || image.columns !== columns || image.rows !== rows) {
      const canvas = document.createElement('canvas');
      canvas.width = columns;
      canvas.height = rows;
      const context = canvas.getContext('2d');
      const data = context.createImageData(columns, rows);
      image = view.image = { columns, rows, canvas, context, data, pixels: new Uint32Array(data.data.buffer),
        counts: new Float64Array(columns * rows) };
    }
    return image;
  }

  // Columns shown: what is kept, at least two minutes' worth, at most the history's length.
  function heatmapSpan(view) {
    return Math.min(state.capacity, Math.max(Math.round(120000 / state.intervalMillis), view.cells.length));
  }

  // Dark blue through magenta to yellow: readable on the dark background, monotonic in brightness. As a table of
  // pixels (RGBA bytes in memory order), computed once.
  const COLOR_STEPS = 256;
  const BACKGROUND = '#0b0f14';
  const COLOR_TABLE = new Uint32Array(COLOR_STEPS);
  const BACKGROUND_PIXEL = pixel([0x0b, 0x0f, 0x14]);

  function color(t) {
    const stops = [[20, 30, 90], [120, 40, 140], [220, 80, 60], [250, 220, 60]];
    const scaled = Math.min(0.9999, Math.max(0, t)) * (stops.length - 1);
    const i = Math.floor(scaled);
    const f = scaled - i;
    return stops[i].map((v, k) => Math.round(v + f * (stops[i + 1][k] - v)));
  }

  function pixel(rgb) {
    const bytes = new Uint8ClampedArray([rgb[0], rgb[1], rgb[2], 255]);
    return new Uint32Array(bytes.buffer)[0];
  }

  for (let step = 0; step < COLOR_STEPS; step++) COLOR_TABLE[step] = pixel(color(step / (COLOR_STEPS - 1)));

  function hoverHeatmap(view, event) {
    const rect = view.canvas.getBoundingClientRect();
    const x = (event.clientX - rect.left) * (view.canvas.width / rect.width);
    const y = (event.clientY - rect.top) * (view.canvas.height / rect.height);
    const plotHeight = view.canvas.height - BOTTOM;
    const span = heatmapSpan(view);
    const column = Math.floor((x - LEFT) / ((view.canvas.width - LEFT) / span)) - (span - view.cells.length);
    const row = view.lowRow + Math.floor((plotHeight - y) / (plotHeight / (view.highRow - view.lowRow + 1)));
    if (column < 0 || column >= view.cells.length || y > plotHeight) {
      view.tooltip.textContent = ' ';
      return;
    }
    const cells = view.cells[column];
    let count = 0;
    for (let i = 0; i < cells.length; i += 2) if (cells[i] === row) count = cells[i + 1];
    const time = state.times[state.times.length - view.cells.length + column];
    view.tooltip.textContent = new Date(time * 1000).toLocaleTimeString() + '  ' + seconds(rowStartSeconds(row))
      + ' – ' + seconds(rowStartSeconds(row + 1)) + ': ' + count + ' values';
  }

  // ---------------------------------------------------------------- any metric

  function quote(value) {
    return '"' + value.replace(/[\\"]/g, '\\$&') + '"';
  }

  function expressionFor(family, matchers, quantile) {
    const selector = family.name + (matchers.length
      ? '{' + matchers.map(([name, value]) => name + '=' + quote(value)).join(', ') + '}' : '');
    const range = '[' + state.windowSeconds + 's]';
    if (family.type === 'counter') return 'rate(' + selector + range + ')';
    if (family.type === 'gauge') return 'last(' + selector + ')';
    return 'quantile(' + quantile + ', ' + selector + range + ')';
  }

  function fillFamilies() {
    const select = document.getElementById('family');
    select.replaceChildren();
    const groups = {};
    for (const family of state.catalogue) {
      if (!groups[family.type]) {
        groups[family.type] = el('optgroup', { label: family.type });
        select.appendChild(groups[family.type]);
      }
      groups[family.type].appendChild(el('option', { value: family.name, text: family.name }));
    }
    fillLabels();
  }

  function selectedFamily() {
    const name = document.getElementById('family').value;
    return state.catalogue.find((f) => f.name === name);
  }

  function fillLabels() {
    const filters = document.getElementById('label-filters');
    filters.replaceChildren();
    const family = selectedFamily();
    document.getElementById('quantile-label').hidden = !family || family.type === 'counter' || family.type === 'gauge';
    if (!family) return;
    for (const [name, values] of Object.entries(family.labels)) {
      const select = el('select', { dataset: { label: name } }, el('option', { value: '', text: 'any' }));
      for (const value of values) select.appendChild(el('option', { value, text: value }));
      filters.appendChild(el('label', null, name + ' ', select));
    }
  }

  function layoutFromUrl() {
    const params = new URLSearchParams(location.hash.substring(1));
    return params.getAll('c');
  }

  function saveLayout() {
    const params = new URLSearchParams();
    for (const chartView of state.custom) params.append('c', chartView.expression);
    const hash = params.toString();
    if (location.hash.substring(1) !== hash) history.replaceState(null, '', hash ? '#' + hash : location.pathname);
  }

  function addCustom(expression) {
    if (state.custom.some((c) => c.expression === expression)) return;
    const card = el('div', { class: 'card custom', dataset: { expression } });
    const remove = el('button', { type: 'button', text: '×', title: 'remove this chart' });
    card.appendChild(el('h4', null, el('span', { class: 'chip', text: expression }), remove));
    const target = el('div');
    const message = el('div', { class: 'error-text' });
    card.appendChild(target);
    card.appendChild(message);
    document.getElementById('custom').appendChild(card);
    const view = { expression, card, target, message, series: new Map(), plot: null, labelsKey: '' };
    watchVisibility(view, card, drawCustomChart);
    remove.addEventListener('click', () => {
      card.remove();
      unwatchVisibility(view);
      state.custom = state.custom.filter((c) => c !== view);
      saveLayout();
    });
    state.custom.push(view);
    saveLayout();
    // The next update starts from scratch, so that this chart receives the history its expression has.
    state.seq = -1;
  }

  function syncCustomWithUrl() {
    const wanted = layoutFromUrl();
    for (const view of state.custom.slice()) {
      if (!wanted.includes(view.expression)) {
        view.card.remove();
        unwatchVisibility(view);
        state.custom = state.custom.filter((c) => c !== view);
      }
    }
    for (const expression of wanted) addCustom(expression);
  }

  function applyWatched(watched, append, oldLength) {
    for (const view of state.custom) {
      const result = watched[view.expression];
      if (!result) continue;
      view.message.textContent = result.error ? result.error
        : result.droppedSeries ? result.droppedSeries + ' more series not shown' : '';
      const next = new Map();
      for (const s of result.series) {
        const key = labelsText(s.labels);
        next.set(key, trim(merge(view.series.get(key), s.values, append, oldLength)));
      }
      view.series = next;
    }
  }

  function drawCustom() {
    for (const view of state.custom) drawWhenVisible(view);
  }

  function drawCustomChart(view) {
    const keys = Array.from(view.series.keys());
    const labelsKey = keys.join('\n');
    if (!view.plot || labelsKey !== view.labelsKey) {
      if (view.plot) view.plot.destroy();
      view.labelsKey = labelsKey;
      const format = view.expression.startsWith('quantile') ? seconds : (v) => si(v, '');
      view.plot = chart(null, keys.map((key) => ({ label: key, format })), view.target,
        { width: 680, height: 220 });
    }
    view.plot.setData([state.times].concat(keys.map((key) => padTo(view.series.get(key), state.times.length))));
  }

  function padTo(values, length) {
    if (values.length === length) return values;
    return values.length > length ? values.slice(values.length - length)
      : new Array(length - values.length).fill(null).concat(values);
  }

  // ---------------------------------------------------------------- alerts and health

  function operatorName() {
    const input = document.getElementById('operator');
    const name = input.value.trim();
    if (name) localStorage.setItem('streammetrics.operator', name);
    return name || 'console';
  }

  async function acknowledge(alert, button) {
    button.disabled = true;
    try {
      await send('POST', OPERATOR_API + 'alerts/' + encodeURIComponent(alert.id) + '/ack', { by: operatorName() });
      setStatus('acknowledged ' + alert.ruleName);
      refreshAlertHistory(true);
    } catch (e) {
      setStatus(e.message, true);
      button.disabled = false;
    }
  }

  // Rows are kept by alert id and updated in place, so that a button is never replaced under the pointer.
  const alertRows = new Map();

  function alertRow(alert) {
    const ack = el('button', { type: 'button', class: 'ack', text: 'Acknowledge' });
    ack.addEventListener('click', () => acknowledge(alert, ack));
    const silence = el('button', { type: 'button', class: 'silence', text: 'Silence…' });
    silence.addEventListener('click', () => prefillSilence(alert.labels));
    const cells = {
      state: el('span', { class: 'badge' }),
      value: el('td', { class: 'value' }),
      since: el('td'),
      annotation: el('td', { class: 'annotation' }),
      acknowledged: el('td', { class: 'acknowledged' }),
      ack,
    };
    const row = el('tr', { dataset: { alertId: alert.id } },
      el('td', null, cells.state),
      el('td', null, el('span', { class: 'badge ' + alert.severity, text: alert.severity })),
      el('td', { text: alert.ruleName }),
      cells.value,
      el('td', null, labelChips(alert.labels, ['alertname', 'severity'])),
      cells.since,
      cells.annotation,
      cells.acknowledged,
      el('td', null, ack, silence));
    return { row, cells };
  }

  function renderAlerts(alerts) {
    const tbody = document.querySelector('#alerts tbody');
    const seen = new Set();
    const rows = alerts.map((alert) => {
      seen.add(alert.id);
      let entry = alertRows.get(alert.id);
      if (!entry) {
        entry = alertRow(alert);
        alertRows.set(alert.id, entry);
      }
      const c = entry.cells;
      c.state.textContent = alert.state;
      c.state.className = 'badge ' + alert.state;
      c.value.textContent = number(alert.value);
      c.since.textContent = ago(alert.firedAt || alert.activeAt);
      c.since.title = alert.firedAt || alert.activeAt || '';
      c.annotation.textContent = (alert.annotations && (alert.annotations.summary
        || alert.annotations.description)) || '';
      c.acknowledged.textContent = alert.acknowledgedBy || '';
      c.ack.hidden = Boolean(alert.acknowledgedBy);
      return entry.row;
    });
    for (const id of Array.from(alertRows.keys())) if (!seen.has(id)) alertRows.delete(id);
    const current = Array.from(tbody.children);
    if (rows.length === 0 || current.length !== rows.length || current.some((row, i) => row !== rows[i])) {
      replaceRows(tbody, rows, 9, 'no alert is pending or firing');
    }
    const firing = alerts.filter((a) => a.state === 'firing').length;
    const pending = alerts.length - firing;
    document.getElementById('alert-counts').textContent = firing + ' firing, ' + pending + ' pending';
  }

  function renderHealth(health) {
    const badge = document.getElementById('health-badge');
    const status = health ? health.status : 'unknown';
    badge.textContent = status;
    badge.className = 'badge ' + status;
    const rows = Object.entries((health && health.components) || {}).map(([name, c]) => el('tr', null,
      el('td', { text: name }),
      el('td', null, el('span', { class: 'badge ' + c.status, text: c.status })),
      el('td', { text: c.detail || '' }),
      el('td', { text: c.durationMillis === undefined ? '' : number(c.durationMillis) + ' ms' })));
    if (health && health.firingAlerts) {
      const counts = Object.entries(health.firingAlerts).filter(([, n]) => n > 0).map(([s, n]) => n + ' ' + s);
      rows.unshift(el('tr', null, el('td', { text: 'firing alerts' }),
        el('td', null, el('span', { class: 'badge ' + status, text: status })),
        el('td', { text: counts.length ? counts.join(', ') : 'none' }), el('td')));
    }
    replaceRows(document.querySelector('#health tbody'), rows, 4, 'no health report');
  }

  async function refreshAlertHistory(force) {
    const now = Date.now();
    if (!force && now - state.lastHistoryFetch < HISTORY_REFRESH_MS) return;
    state.lastHistoryFetch = now;
    try {
      const document_ = await getJson(OPERATOR_API + 'alerts');
      renderSilences(document_.silences || []);
      renderHistory(document_.history || []);
    } catch (e) {
      setStatus(e.message, true);
    }
  }

  function renderHistory(events) {
    const rows = events.slice(0, 20).map((event) => {
      const alert = event.alert;
      const at = event.kind === 'resolved' ? alert.resolvedAt : event.kind === 'firing' ? alert.firedAt : alert.activeAt;
      return el('tr', null,
        el('td', null, el('span', { class: 'badge ' + event.kind, text: event.kind })),
        el('td', { text: alert.ruleName }),
        el('td', { text: alert.severity }),
        el('td', { text: number(alert.value) }),
        el('td', null, labelChips(alert.labels, ['alertname', 'severity'])),
        el('td', { text: clock(at), title: at || '' }));
    });
    replaceRows(document.querySelector('#history tbody'), rows, 6, 'nothing happened yet');
  }

  function renderSilences(silences) {
    const rows = silences.map((silence) => {
      const expire = el('button', { type: 'button', class: 'expire', text: 'Expire' });
      expire.addEventListener('click', async () => {
        expire.disabled = true;
        try {
          await send('DELETE', OPERATOR_API + 'silences/' + encodeURIComponent(silence.id));
          refreshAlertHistory(true);
        } catch (e) {
          setStatus(e.message, true);
          expire.disabled = false;
        }
      });
      const matchers = el('span');
      for (const m of silence.matchers) {
        const op = (m.isEqual ? '' : '!') + (m.isRegex ? '~' : '=');
        matchers.appendChild(el('span', { class: 'chip', text: m.name + (op === '=' ? '=' : op === '~' ? '=~' : op) + '"' + m.value + '"' }));
      }
      return el('tr', { dataset: { silenceId: silence.id } }, el('td', null, matchers),
        el('td', { text: clock(silence.endsAt), title: silence.endsAt }), el('td', { text: silence.createdBy }),
        el('td', { text: silence.comment }), el('td', null, expire));
    });
    replaceRows(document.querySelector('#silences tbody'), rows, 5, 'no active silence');
  }

  function matcherRow(name, op, value) {
    const row = el('span', { class: 'matcher' },
      el('input', { class: 'matcher-name', size: '10', value: name || '', placeholder: 'label' }),
      el('select', { class: 'matcher-op' }, ...['=', '!=', '=~', '!~'].map((o) => el('option', { text: o }))),
      el('input', { class: 'matcher-value', size: '14', value: value || '', placeholder: 'value' }));
    row.querySelector('.matcher-op').value = op || '=';
    const remove = el('button', { type: 'button', text: '×' });
    remove.addEventListener('click', () => row.remove());
    row.appendChild(remove);
    document.getElementById('matchers').appendChild(row);
  }

  function prefillSilence(labels) {
    document.getElementById('matchers').replaceChildren();
    for (const [name, value] of Object.entries(labels || {}).sort()) matcherRow(name, '=', value);
    document.getElementById('silence-details').open = true;
    document.getElementById('silence-comment').focus();
  }

  async function createSilence(event) {
    event.preventDefault();
    const matchers = Array.from(document.querySelectorAll('#matchers .matcher')).map((row) => {
      const op = row.querySelector('.matcher-op').value;
      return {
        name: row.querySelector('.matcher-name').value.trim(),
        value: row.querySelector('.matcher-value').value,
        isRegex: op.includes('~'),
        isEqual: !op.startsWith('!'),
      };
    }).filter((m) => m.name);
    try {
      const silence = await send('POST', OPERATOR_API + 'silences', {
        matchers,
        duration: document.getElementById('silence-duration').value.trim(),
        createdBy: operatorName(),
        comment: document.getElementById('silence-comment').value,
      });
      setStatus('silence ' + silence.id + ' created');
      document.getElementById('silence-details').open = false;
      refreshAlertHistory(true);
    } catch (e) {
      setStatus(e.message, true);
    }
  }

  // ---------------------------------------------------------------- the update loop

  function updateUrl() {
    const params = new URLSearchParams();
    params.set('since', String(state.seq));
    for (const view of state.custom) params.append('w', view.expression);
    return 'api/update?' + params.toString();
  }

  function apply(update) {
    performance.mark('console-update-start');
    const shared = update.shared;
    const append = state.seq >= 0 && shared.from === state.seq;
    const oldLength = append ? state.times.length : 0;
    state.capacity = shared.capacity;
    state.intervalMillis = shared.intervalMillis;
    state.windowSeconds = shared.windowSeconds;
    state.times = trim(merge(state.times, shared.times.map((t) => t / 1000), append, 0));
    applyStages(shared.stages, append, oldLength);
    applyHeatmaps(shared.heatmap, append, oldLength);
    applyWatched(update.watched, append, oldLength);
    state.seq = shared.seq;
    document.getElementById('window-hint').textContent = 'rates and quantiles over the last '
      + shared.windowSeconds + ' s, one point per ' + shared.intervalMillis / 1000 + ' s';
    renderAlerts(shared.alerts);
    const signature = shared.alerts.map((a) => a.id + ':' + a.state + ':' + (a.acknowledgedBy || '')).join(',');
    const alertsChanged = signature !== state.alertsSignature;
    state.alertsSignature = signature;
    renderHealth(shared.health);
    drawStages();
    drawCustom();
    for (const view of state.heatmaps.values()) drawWhenVisible(view);
    state.updates++;
    // uPlot draws in a microtask after setData: measure once it has.
    queueMicrotask(() => performance.measure('console-update', 'console-update-start'));
    return alertsChanged;
  }

  async function poll() {
    if (!state.paused) {
      try {
        const asked = state.custom.map((c) => c.expression).join('\n');
        const alertsChanged = apply(await getJson(updateUrl()));
        // A chart added while the request was out: ask again from scratch, so that it gets its history.
        if (state.custom.map((c) => c.expression).join('\n') !== asked) state.seq = -1;
        setStatus('updated ' + new Date().toLocaleTimeString());
        refreshAlertHistory(alertsChanged);
      } catch (e) {
        setStatus(e.message, true);
      }
    }
    setTimeout(poll, state.intervalMillis);
  }

  async function loadCatalogue() {
    try {
      state.catalogue = (await getJson('api/metrics')).families;
      fillFamilies();
    } catch (e) {
      setStatus(e.message, true);
    }
  }

  function start() {
    const operator = document.getElementById('operator');
    operator.value = localStorage.getItem('streammetrics.operator') || '';
    document.getElementById('pause').addEventListener('change', (e) => { state.paused = e.target.checked; });
    document.getElementById('family').addEventListener('change', fillLabels);
    document.getElementById('family').addEventListener('focus', () => { if (!state.catalogue.length) loadCatalogue(); });
    document.getElementById('selector').addEventListener('submit', (event) => {
      event.preventDefault();
      const family = selectedFamily();
      if (!family) return;
      const matchers = Array.from(document.querySelectorAll('#label-filters select'))
        .filter((s) => s.value !== '').map((s) => [s.dataset.label, s.value]);
      addCustom(expressionFor(family, matchers, document.getElementById('quantile').value));
    });
    document.getElementById('add-expression').addEventListener('click', () => {
      const expression = document.getElementById('expression').value.trim();
      if (expression) addCustom(expression);
    });
    document.getElementById('add-matcher').addEventListener('click', () => matcherRow('', '=', ''));
    document.getElementById('silence-form').addEventListener('submit', createSilence);
    window.addEventListener('hashchange', syncCustomWithUrl);
    syncCustomWithUrl();
    loadCatalogue();
    poll();
  }

  start();
})();
