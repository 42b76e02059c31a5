// aibroker dashboard: polls /dashboard/data and draws it with Chart.js (served from its WebJar).
// Every chart's card carries data-points (what it shows now) so tests and scripts can read it.
(function () {
  'use strict';

  const POLL_MS = 2000;
  const COLORS = {
    rps: '#2563eb', errors: '#dc2626', p50: '#14b8a6', p95: '#f59e0b', p99: '#dc2626',
    mean: '#7c3aed', hit: '#16a34a', coalesced: '#0ea5e9', miss: '#cbd5e1'
  };
  const PALETTE = ['#6366f1', '#0ea5e9', '#22c55e', '#f59e0b', '#ec4899', '#14b8a6', '#a855f7',
    '#ef4444', '#84cc16', '#64748b'];

  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = '#475569';
  Chart.defaults.animation = false; // live data: redraw at once, no tweening between polls
  Chart.defaults.plugins.legend.labels.usePointStyle = true;

  const fmtTime = (ms) => new Date(ms).toLocaleTimeString([], { hour12: false });
  const fmtNumber = (v, digits) => v == null ? '–' :
    v.toLocaleString(undefined, { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  function fmtUsd(v) {
    if (v == null) return '–';
    if (v === 0) return '$0';
    if (Math.abs(v) >= 100) return '$' + fmtNumber(v, 0);
    if (Math.abs(v) >= 1) return '$' + v.toFixed(2);
    // fractions of a cent are common (cheap models, few tokens): keep three significant digits
    return '$' + v.toLocaleString('en-US', { maximumSignificantDigits: 3, maximumFractionDigits: 10 });
  }
  const fmtMs = (v) => v == null ? '–' : v >= 1000 ? (v / 1000).toFixed(2) + ' s' : v.toFixed(v < 10 ? 1 : 0) + ' ms';
  const fmtPct = (v) => v == null ? '–' : (v * 100).toFixed(1) + '%';

  function timeAxis() {
    return {
      type: 'linear',
      ticks: { maxTicksLimit: 7, callback: (v) => fmtTime(v), maxRotation: 0 },
      grid: { color: '#f1f5f9' }
    };
  }

  // Labels 1, 2 and 5 of each decade only, e.g. "20 ms", "1 s".
  function logTick(value) {
    const v = Number(value);
    const decade = Math.pow(10, Math.floor(Math.log10(v)));
    const lead = Math.round((v / decade) * 1000) / 1000;
    if (![1, 2, 5].includes(lead)) return null;
    return v >= 1000 ? Number((v / 1000).toPrecision(3)) + ' s' : Number(v.toPrecision(3)) + ' ms';
  }

  function lineLegend() {
    return { position: 'top', align: 'end', labels: { usePointStyle: true, pointStyle: 'line' } };
  }

  function lineDataset(label, color, fill) {
    return {
      label, data: [], borderColor: color, backgroundColor: fill ? color + '22' : color,
      fill: fill ? 'origin' : false, borderWidth: 2, pointRadius: 0, cubicInterpolationMode: 'monotone', spanGaps: false
    };
  }

  const throughputChart = new Chart(document.getElementById('chart-throughput'), {
    type: 'line',
    data: { datasets: [lineDataset('requests / s', COLORS.rps, true), lineDataset('failed / s', COLORS.errors, false)] },
    options: {
      responsive: true, maintainAspectRatio: false, interaction: { mode: 'index', intersect: false },
      scales: { x: timeAxis(), y: { beginAtZero: true, title: { display: true, text: 'requests / s' } } },
      plugins: { legend: lineLegend() }
    }
  });

  const latencyChart = new Chart(document.getElementById('chart-latency'), {
    type: 'line',
    data: { datasets: [lineDataset('p50', COLORS.p50, false), lineDataset('p95', COLORS.p95, false),
      lineDataset('p99', COLORS.p99, false)] },
    options: {
      responsive: true, maintainAspectRatio: false, interaction: { mode: 'index', intersect: false },
      // logarithmic: a slow tail (seconds) must not flatten the typical latency (milliseconds)
      scales: { x: timeAxis(), y: { type: 'logarithmic', title: { display: true, text: 'ms (log scale)' },
        ticks: { callback: logTick } } },
      plugins: { legend: lineLegend() }
    }
  });

  // Writes the hit rate in the doughnut's hole.
  const centerText = {
    id: 'centerText',
    afterDraw(chart) {
      const meta = chart.getDatasetMeta(0);
      if (!meta.data.length) return;
      const { x, y } = meta.data[0];
      const ctx = chart.ctx;
      ctx.save();
      ctx.textAlign = 'center';
      ctx.fillStyle = '#0f172a';
      ctx.font = '700 28px ' + Chart.defaults.font.family;
      ctx.fillText(chart.$hitRate == null ? '–' : fmtPct(chart.$hitRate), x, y + 4);
      ctx.font = '12px ' + Chart.defaults.font.family;
      ctx.fillStyle = '#64748b';
      ctx.fillText('hit rate', x, y + 24);
      ctx.restore();
    }
  };

  const cacheChart = new Chart(document.getElementById('chart-cache'), {
    type: 'doughnut',
    data: { labels: ['hits', 'coalesced', 'misses'],
      datasets: [{ data: [0, 0, 0], backgroundColor: [COLORS.hit, COLORS.coalesced, COLORS.miss], borderWidth: 2 }] },
    options: {
      responsive: true, maintainAspectRatio: false, cutout: '68%',
      plugins: { legend: { position: 'bottom' },
        tooltip: { callbacks: { label: (c) => c.label + ': ' + fmtNumber(c.parsed, 0) } } }
    },
    plugins: [centerText]
  });

  const usdAxis = (title) => ({ beginAtZero: true, title: { display: true, text: title },
    ticks: { maxTicksLimit: 6, maxRotation: 0, callback: (v) => fmtUsd(v) } });

  const spendTenantChart = new Chart(document.getElementById('chart-spend-tenant'), {
    type: 'bar',
    data: { labels: [], datasets: [] },
    options: {
      responsive: true, maintainAspectRatio: false,
      scales: { x: { stacked: true, grid: { display: false } }, y: Object.assign({ stacked: true }, usdAxis('USD')) },
      plugins: { legend: { position: 'bottom' },
        tooltip: { callbacks: { label: (c) => c.dataset.label + ': ' + fmtUsd(c.parsed.y) } } }
    }
  });

  const spendModelChart = new Chart(document.getElementById('chart-spend-model'), {
    type: 'bar',
    data: { labels: [], datasets: [{ label: 'USD', data: [], backgroundColor: [], borderRadius: 4 }] },
    options: {
      indexAxis: 'y', responsive: true, maintainAspectRatio: false,
      scales: { x: usdAxis('USD'), y: { grid: { display: false } } },
      plugins: { legend: { display: false },
        tooltip: { callbacks: { label: (c) => fmtUsd(c.parsed.x) } } }
    }
  });

  const card = (name) => document.querySelector('[data-chart="' + name + '"]');
  function mark(name, points, labels) {
    const el = card(name);
    el.dataset.points = String(points);
    if (labels !== undefined) el.dataset.labels = labels.join(',');
  }

  const modelColors = new Map();
  function modelColor(model) {
    if (!modelColors.has(model)) modelColors.set(model, PALETTE[modelColors.size % PALETTE.length]);
    return modelColors.get(model);
  }

  // The time axis spans exactly the samples: no empty margin rounded up past the newest one.
  function fitTime(chart, points) {
    chart.options.scales.x.min = points.length ? points[0].t : undefined;
    chart.options.scales.x.max = points.length ? points[points.length - 1].t : undefined;
  }

  function drawThroughput(d) {
    fitTime(throughputChart, d.throughput);
    throughputChart.data.datasets[0].data = d.throughput.map((p) => ({ x: p.t, y: p.rps }));
    throughputChart.data.datasets[1].data = d.throughput.map((p) => ({ x: p.t, y: p.errorsPerSecond }));
    throughputChart.update();
    mark('throughput', d.throughput.length);
    document.getElementById('throughput-hint').textContent = (d.requestsSource === 'broker'
      ? 'Terminal results from the broker' : 'Provider calls from the workers (no broker in this process)')
      + ', ' + d.rateWindowSeconds + ' s moving window.';
  }

  function drawLatency(d) {
    const pts = d.latency.points;
    fitTime(latencyChart, pts);
    let shown;
    if (d.latency.percentiles) {
      ['p50', 'p95', 'p99'].forEach((key, i) => {
        latencyChart.data.datasets[i].label = key;
        latencyChart.data.datasets[i].hidden = false;
        latencyChart.data.datasets[i].data = pts.map((p) => ({ x: p.t, y: p[key] }));
      });
      shown = pts.filter((p) => p.p95 != null).length;
    } else {
      latencyChart.data.datasets[0].label = 'mean';
      latencyChart.data.datasets[0].borderColor = COLORS.mean;
      latencyChart.data.datasets[0].data = pts.map((p) => ({ x: p.t, y: p.mean }));
      latencyChart.data.datasets[1].hidden = true;
      latencyChart.data.datasets[2].hidden = true;
      shown = pts.filter((p) => p.mean != null).length;
    }
    latencyChart.update();
    mark('latency', shown);
    document.getElementById('latency-hint').textContent = (d.requestsSource === 'broker'
      ? 'End to end, request created to result' : 'Provider calls')
      + (d.latency.percentiles ? ', percentiles' : ', mean (no histogram published)')
      + ' over a ' + d.rateWindowSeconds + ' s moving window; gaps mean no traffic.';
  }

  function drawCache(d) {
    const c = d.cache;
    cacheChart.data.datasets[0].data = [c.hits, c.coalesced, c.misses];
    cacheChart.$hitRate = c.hitRate;
    cacheChart.update();
    mark('cache', [c.hits, c.coalesced, c.misses].filter((v) => v > 0).length);
  }

  function drawSpend(d) {
    const tenants = d.spend.byTenant.map((a) => a.name);
    const models = d.spend.byModel.map((a) => a.name);
    spendTenantChart.data.labels = tenants;
    spendTenantChart.data.datasets = models.map((model) => ({
      label: model, backgroundColor: modelColor(model), borderRadius: 3,
      data: tenants.map((tenant) => {
        const cell = d.spend.byTenantAndModel.find((a) => a.tenant === tenant && a.model === model);
        return cell ? cell.usd : 0;
      })
    }));
    spendTenantChart.update();
    mark('spend-tenant', tenants.length, tenants);

    spendModelChart.data.labels = models;
    spendModelChart.data.datasets[0].data = d.spend.byModel.map((a) => a.usd);
    spendModelChart.data.datasets[0].backgroundColor = models.map(modelColor);
    spendModelChart.update();
    mark('spend-model', models.length, models);
  }

  function drawProviders(d) {
    const box = document.getElementById('providers');
    box.replaceChildren();
    if (!d.providers.length) {
      const empty = document.createElement('div');
      empty.className = 'empty';
      empty.textContent = d.components.worker
        ? 'No provider deployment has reported yet.'
        : 'No workers run in this process; their health is on the workers\' own dashboards.';
      box.appendChild(empty);
    }
    const names = ['unknown', 'closed', 'half-open', 'open'];
    let cells = 0;
    for (const p of d.providers) {
      const tile = document.createElement('div');
      tile.className = 'tile ' + p.state;
      tile.dataset.deployment = p.provider + '/' + p.deployment;
      tile.dataset.state = p.state;
      const head = document.createElement('div');
      head.className = 'tile-head';
      const name = document.createElement('span');
      name.innerHTML = '<span class="tile-name"></span><span class="tile-provider"></span>';
      name.querySelector('.tile-name').textContent = p.deployment;
      name.querySelector('.tile-provider').textContent = p.provider;
      const badge = document.createElement('span');
      badge.className = 'badge ' + p.state;
      badge.textContent = p.state;
      head.append(name, badge);
      const stats = document.createElement('div');
      stats.className = 'tile-stats';
      stats.innerHTML = '<span>in flight <b></b></span><span>throttled <b></b></span><span>retried <b></b></span>';
      const b = stats.querySelectorAll('b');
      b[0].textContent = fmtNumber(p.inFlight, 0);
      b[1].textContent = fmtNumber(p.throttles, 0);
      b[2].textContent = fmtNumber(p.retries, 0);
      const timeline = document.createElement('div');
      timeline.className = 'timeline';
      for (const point of p.timeline) {
        const cell = document.createElement('span');
        cell.className = 'cell ' + names[point.circuit + 1];
        cell.title = fmtTime(point.t) + ': ' + names[point.circuit + 1];
        timeline.appendChild(cell);
        cells++;
      }
      tile.append(head, stats, timeline);
      box.appendChild(tile);
    }
    mark('providers', cells);
    card('providers').dataset.deployments = String(d.providers.length);
  }

  function drawKpis(d) {
    const last = d.throughput[d.throughput.length - 1];
    document.getElementById('kpi-rps').textContent = last ? fmtNumber(last.rps, 1) : '–';
    const peak = d.throughput.reduce((m, p) => Math.max(m, p.rps), 0);
    document.getElementById('kpi-rps-note').textContent = last
      ? fmtNumber(last.errorsPerSecond, 1) + ' failed / s · peak ' + fmtNumber(peak, 1) + ' in the window' : '';
    const recent = d.latency.points.filter((p) => (d.latency.percentiles ? p.p95 : p.mean) != null);
    const lat = recent[recent.length - 1];
    document.getElementById('kpi-p95').textContent = lat ? fmtMs(d.latency.percentiles ? lat.p95 : lat.mean) : '–';
    document.getElementById('kpi-p95-note').textContent = lat
      ? (d.latency.percentiles ? 'p50 ' + fmtMs(lat.p50) + ' · p99 ' + fmtMs(lat.p99) : 'mean') + ', at ' + fmtTime(lat.t)
      : 'no traffic in the window';
    document.getElementById('kpi-cache').textContent = fmtPct(d.cache.hitRate);
    document.getElementById('kpi-cache-note').textContent =
      fmtNumber(d.cache.hits + d.cache.misses + d.cache.coalesced, 0) + ' lookups';
    document.getElementById('kpi-spend').textContent = fmtUsd(d.spend.totalUsd);
    document.getElementById('kpi-requests').textContent = fmtNumber(d.totals.requests, 0);
    document.getElementById('kpi-failed').textContent = fmtNumber(d.totals.failed, 0) + ' not succeeded';
  }

  function drawTokens(d) {
    const body = document.getElementById('tokens');
    const t = d.tokensToday;
    if (!t) {
      body.replaceChildren();
      document.getElementById('tokens-hint').textContent =
        'Shown by a process that serves the API, once it has read the usage rollups.';
      return;
    }
    const rows = [
      ['requests', t.requests],
      ['input', t.input],
      ['\u2003of which cache read', t.cacheRead],
      ['\u2003of which cache write', t.cacheWrite],
      ['\u2003\u2003of which 1-hour cache write', t.cacheWrite1h],
      ['output', t.output],
      ['\u2003of which reasoning', t.reasoning],
      ['cost', t.costUsd, fmtUsd],
      // what batch (or flex) calls saved against the standard tier's price
      ['saved vs standard tier', t.savedVsStandardUsd, fmtUsd],
    ];
    body.replaceChildren(...rows.map(([name, value, format]) => {
      const tr = document.createElement('tr');
      const label = document.createElement('td');
      label.textContent = name;
      const number = document.createElement('td');
      number.textContent = format ? format(value) : fmtNumber(value, 0);
      number.className = 'number';
      tr.append(label, number);
      return tr;
    }));
  }

  function drawHeader(d) {
    const box = document.getElementById('components');
    box.replaceChildren();
    for (const [name, on] of [['broker', d.components.broker], ['workers', d.components.worker]]) {
      const tag = document.createElement('span');
      tag.textContent = name;
      if (!on) tag.className = 'off';
      box.appendChild(tag);
    }
    document.getElementById('updated').textContent = 'updated ' + fmtTime(d.generatedAt);
    if (!d.components.broker) {
      // cache lookups and spend are counted by the broker: say why those panels stay empty
      document.querySelectorAll('[data-broker-hint]').forEach((hint) => {
        hint.textContent = 'No broker in this process: cache and spend are on the broker\'s dashboard.';
      });
    }
  }

  function setLive(state, text) {
    document.getElementById('live').dataset.live = state;
    document.getElementById('live-text').textContent = text;
  }

  let updates = 0;
  async function refresh() {
    try {
      const response = await fetch('/dashboard/data', { cache: 'no-store' });
      if (!response.ok) throw new Error('HTTP ' + response.status);
      const d = await response.json();
      drawHeader(d);
      drawKpis(d);
      drawThroughput(d);
      drawLatency(d);
      drawCache(d);
      drawSpend(d);
      drawTokens(d);
      drawProviders(d);
      updates++;
      document.body.dataset.updates = String(updates);
      document.body.dataset.state = 'ready';
      setLive('true', 'live');
    } catch (e) {
      document.body.dataset.state = 'error';
      setLive('error', 'disconnected: ' + e.message);
    }
  }

  refresh();
  setInterval(refresh, POLL_MS);
})();
