// The dog walker's page: plain script, no build. The forms call the JSON API; the live panel reads
// /api/panel (the app's own metric registry) every 2 seconds and derives rates and percentiles
// from successive reads, as Prometheus does from successive scrapes. Charts are drawn by uPlot.

const POLL_MS = 2000;
const HISTORY_MS = 5 * 60 * 1000;
const WINDOW_MS = 10 * 1000;
const MAX_ROUTES = 6;
const COLORS = ['#2f6fde', '#e0632f', '#2a9d5b', '#9b4dca', '#c9a227', '#d64577', '#4aa3b8', '#6b7385'];

const $ = (selector) => document.querySelector(selector);
const names = { dogs: new Map(), walkers: new Map() };

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  return { ok: response.ok, status: response.status, data };
}

function say(element, text, ok) {
  element.textContent = text;
  element.className = `message ${ok ? 'ok' : 'error'}`;
}

function fieldsOf(form) {
  return Object.fromEntries(new FormData(form).entries());
}

// ---- the app: forms and the list of walks in progress ----

function fillSelect(select, items, label) {
  const chosen = select.value;
  select.replaceChildren(
    ...items.map((item) => {
      const option = document.createElement('option');
      option.value = String(item.id);
      option.textContent = label(item);
      return option;
    }),
  );
  if (items.some((item) => String(item.id) === chosen)) select.value = chosen;
}

async function refreshPeople() {
  const [dogs, walkers] = await Promise.all([api('GET', '/api/dogs'), api('GET', '/api/walkers')]);
  if (dogs.ok) {
    for (const dog of dogs.data) names.dogs.set(dog.id, dog.name);
    fillSelect($('#walk-form [name=dogId]'), dogs.data, (dog) => `${dog.name} (#${dog.id}, ${dog.size})`);
  }
  if (walkers.ok) {
    for (const walker of walkers.data) names.walkers.set(walker.id, walker.name);
    fillSelect($('#walk-form [name=walkerId]'), walkers.data, (w) => `${w.name} (#${w.id})`);
  }
}

function cell(text) {
  const td = document.createElement('td');
  td.textContent = text;
  return td;
}

function walkRow(walk) {
  const row = document.createElement('tr');
  row.dataset.walkId = String(walk.id);
  const distance = document.createElement('input');
  distance.type = 'number';
  distance.name = 'distanceMeters';
  distance.placeholder = 'm';
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = 'Complete';
  button.addEventListener('click', async () => {
    const value = distance.value === '' ? undefined : Number(distance.value);
    const result = await api('POST', `/api/walks/${walk.id}/complete`, { distanceMeters: value });
    say($('#walks-message'), result.ok ? `Walk #${walk.id} completed.` : result.data.error, result.ok);
    await refreshWalks();
  });
  // Hours and minutes: with seconds the column took the width the Complete button needs.
  const since = cell(new Date(walk.startedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }));
  since.className = 'since';
  const distanceCell = document.createElement('td');
  distanceCell.append(distance);
  const action = document.createElement('td');
  action.append(button);
  row.append(
    cell(`#${walk.id}`),
    cell(names.dogs.get(walk.dogId) ?? `#${walk.dogId}`),
    cell(names.walkers.get(walk.walkerId) ?? `#${walk.walkerId}`),
    since,
    distanceCell,
    action,
  );
  return row;
}

async function refreshWalks() {
  const result = await api('GET', '/api/walks?status=in_progress');
  if (!result.ok) return;
  // Walks of dogs or walkers added elsewhere (another tab, the simulator): learn their names.
  if (result.data.some((walk) => !names.dogs.has(walk.dogId) || !names.walkers.has(walk.walkerId))) {
    await refreshPeople();
  }
  const body = $('#walks tbody');
  const shown = new Map([...body.children].map((row) => [row.dataset.walkId, row]));
  const wanted = new Set(result.data.map((walk) => String(walk.id)));
  // Rows stay as they are while their walk is in progress, so a distance being typed is kept.
  for (const [id, row] of shown) if (!wanted.has(id)) row.remove();
  for (const walk of [...result.data].reverse()) {
    if (!shown.has(String(walk.id))) body.prepend(walkRow(walk));
  }
  $('#walks-empty').hidden = result.data.length > 0;
}

function onSubmit(selector, send) {
  const form = $(selector);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const message = form.querySelector('.message');
    const result = await send(fieldsOf(form));
    say(message, result.ok ? result.text : result.data.error, result.ok);
    if (result.ok) form.reset();
    await refreshPeople();
    await refreshWalks();
  });
}

onSubmit('#walker-form', async (fields) => {
  const result = await api('POST', '/api/walkers', fields);
  return { ...result, text: `Walker ${result.data.name} added (#${result.data.id}).` };
});
onSubmit('#dog-form', async (fields) => {
  const age = fields.age === '' ? undefined : Number(fields.age);
  const result = await api('POST', '/api/dogs', { ...fields, age });
  return { ...result, text: `Dog ${result.data.name} added (#${result.data.id}).` };
});
onSubmit('#walk-form', async (fields) => {
  const result = await api('POST', '/api/walks', {
    dogId: Number(fields.dogId),
    walkerId: Number(fields.walkerId),
  });
  return { ...result, text: `Walk #${result.data.id} started.` };
});

// ---- the live panel ----

const samples = []; // { time, metrics } as /api/panel returns them, oldest first

function values(sample, name) {
  return sample.metrics[name]?.values ?? [];
}

function total(sample, name) {
  return values(sample, name).reduce((sum, v) => sum + v.value, 0);
}

/** Per route: request count and cumulative bucket counts, summed over methods and statuses. */
function latencyByRoute(sample) {
  const routes = new Map();
  for (const v of values(sample, 'http_request_duration_seconds')) {
    const route = v.labels.route;
    if (!routes.has(route)) routes.set(route, { count: 0, buckets: new Map() });
    const entry = routes.get(route);
    if (v.metricName.endsWith('_count')) entry.count += v.value;
    if (v.metricName.endsWith('_bucket')) {
      const le = v.labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(v.labels.le);
      entry.buckets.set(le, (entry.buckets.get(le) ?? 0) + v.value);
    }
  }
  return routes;
}

/** histogram_quantile over the increase of cumulative buckets, linear within a bucket. */
function quantile(q, increase) {
  const bounds = [...increase.keys()].sort((a, b) => a - b);
  const count = increase.get(Number.POSITIVE_INFINITY) ?? 0;
  if (count === 0) return null;
  const rank = q * count;
  let lower = 0;
  let below = 0;
  for (const bound of bounds) {
    const atOrBelow = increase.get(bound);
    if (atOrBelow >= rank) {
      if (bound === Number.POSITIVE_INFINITY) return lower;
      const inBucket = atOrBelow - below;
      return lower + (bound - lower) * (inBucket === 0 ? 0 : (rank - below) / inBucket);
    }
    lower = bound;
    below = atOrBelow;
  }
  return lower;
}

/** The sample at least `ms` older than the newest, or the oldest there is. */
function sampleBefore(index, ms) {
  const newest = samples[index];
  for (let i = index - 1; i >= 0; i--) if (newest.time - samples[i].time >= ms) return samples[i];
  return samples[0];
}

const charts = {};

function chartWidth(element) {
  return Math.max(280, element.clientWidth);
}

/** Draws `data` with these series, making the chart again only when the series change. */
function draw(id, seriesNames, data, options = {}) {
  const element = document.getElementById(id);
  const key = JSON.stringify(seriesNames);
  const existing = charts[id];
  if (existing && existing.key === key) {
    existing.plot.setData(data);
    return;
  }
  existing?.plot.destroy();
  const series = [
    {},
    ...seriesNames.map((label, i) => ({
      label,
      stroke: COLORS[i % COLORS.length],
      width: 2,
      ...(options.series?.(i) ?? {}),
    })),
  ];
  const plot = new uPlot(
    {
      width: chartWidth(element),
      height: 180,
      series,
      scales: options.scales ?? {},
      axes: options.axes ?? [{}, { size: 60 }],
      legend: { show: options.legend !== false, live: false },
    },
    data,
    element,
  );
  charts[id] = { key, plot };
}

function drawRequests() {
  const newest = samples[samples.length - 1];
  const routes = [...latencyByRoute(newest).keys()];
  // The busiest routes over the last window get a line each.
  const before = sampleBefore(samples.length - 1, WINDOW_MS);
  const busy = routes
    .map((route) => [
      route,
      latencyByRoute(newest).get(route).count - (latencyByRoute(before).get(route)?.count ?? 0),
    ])
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, MAX_ROUTES)
    .map(([route]) => route)
    .sort();
  const xs = [];
  const rps = busy.map(() => []);
  const p50 = busy.map(() => []);
  const p95 = busy.map(() => []);
  for (let i = 1; i < samples.length; i++) {
    const now = latencyByRoute(samples[i]);
    const then = sampleBefore(i, WINDOW_MS);
    const past = latencyByRoute(then);
    const seconds = (samples[i].time - then.time) / 1000;
    xs.push(samples[i].time / 1000);
    busy.forEach((route, r) => {
      const current = now.get(route);
      const previous = past.get(route);
      const increase = new Map();
      for (const [le, value] of current?.buckets ?? [])
        increase.set(le, value - (previous?.buckets.get(le) ?? 0));
      rps[r].push(seconds > 0 ? ((current?.count ?? 0) - (previous?.count ?? 0)) / seconds : null);
      const ms = (q) => {
        const s = quantile(q, increase);
        return s === null ? null : s * 1000;
      };
      p50[r].push(ms(0.5));
      p95[r].push(ms(0.95));
    });
  }
  draw('chart-rps', busy, [xs, ...rps]);
  draw(
    'chart-latency',
    [...busy.map((r) => `${r} p50`), ...busy.map((r) => `${r} p95`)],
    [xs, ...p50, ...p95],
    {
      series: (i) => ({
        stroke: COLORS[(i % busy.length) % COLORS.length],
        dash: i >= busy.length ? LATENCY_LINES.p95.dash : LATENCY_LINES.p50.dash,
      }),
      axes: [{}, { size: 60, values: (_u, ticks) => ticks.map((t) => `${t} ms`) }],
      legend: false,
    },
  );
  drawLatencyLegend(busy);
}

// Each route has two lines of one colour: uPlot's legend, one entry per line, listed every route
// twice and its swatches showed the colour only. So the chart has its own legend: one entry per
// route, and a key that shows which line style is p50 and which p95.
const LATENCY_LINES = { p50: { dash: undefined, style: 'solid' }, p95: { dash: [6, 4], style: 'dashed' } };

function legendEntry(className, text, swatchStyle) {
  const entry = document.createElement('span');
  entry.className = className;
  const swatch = document.createElement('i');
  swatch.className = 'swatch';
  Object.assign(swatch.style, swatchStyle);
  entry.append(swatch, text);
  return entry;
}

function drawLatencyLegend(routes) {
  const legend = document.getElementById('latency-legend');
  const key = JSON.stringify(routes);
  if (legend.dataset.routes === key) return;
  legend.dataset.routes = key;
  legend.replaceChildren(
    ...routes.map((route, r) => legendEntry('route', route, { borderTopColor: COLORS[r % COLORS.length] })),
    ...Object.entries(LATENCY_LINES).map(([name, line]) =>
      legendEntry('line-key', name, { borderTopStyle: line.style }),
    ),
  );
}

function drawWalks() {
  const xs = samples.map((s) => s.time / 1000);
  const started = samples.map((s) => total(s, 'dogwalker_walks_started_total'));
  const completed = samples.map((s) => total(s, 'dogwalker_walks_completed_total'));
  draw('chart-walks', ['started (total)', 'completed (total)'], [xs, started, completed]);
}

function drawDistance(newest) {
  const buckets = values(newest, 'dogwalker_walk_distance_meters')
    .filter((v) => v.metricName.endsWith('_bucket'))
    .map((v) => ({
      le: v.labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(v.labels.le),
      value: v.value,
    }))
    .sort((a, b) => a.le - b.le);
  const labels = buckets.map((b, i) =>
    b.le === Number.POSITIVE_INFINITY ? `> ${buckets[i - 1]?.le ?? 0}` : `≤ ${b.le}`,
  );
  // Cumulative buckets to the walks that fall in each one.
  const counts = buckets.map((b, i) => b.value - (buckets[i - 1]?.value ?? 0));
  draw('chart-distance', ['walks'], [buckets.map((_b, i) => i), counts], {
    series: () => ({
      paths: uPlot.paths.bars({ size: [0.7, 60] }),
      fill: '#2f6fde55',
      points: { show: false },
    }),
    scales: { x: { time: false, range: [-0.5, Math.max(0, buckets.length - 0.5)] } },
    axes: [{ values: (_u, ticks) => ticks.map((t) => labels[t] ?? ''), incrs: [1] }, { size: 50 }],
  });
}

/**
 * The share of cache look-ups (both caches: walkers, panel) that found their key since the app
 * started: cache_get_hits_total / cache_get_total as read. Not over the last window: the
 * simulator's writes empty the walkers and panel caches so often that a 10 s window mostly
 * holds misses alone and read 0%.
 */
function cacheHitRatio(newest) {
  const gets = total(newest, 'cache_get_total');
  const hits = total(newest, 'cache_get_hits_total');
  return gets > 0 ? `${Math.round((hits / gets) * 100)}%` : '–';
}

function showStats(newest) {
  $('#stat-cache-hit-ratio').textContent = cacheHitRatio(newest);
  $('#stat-started').textContent = String(total(newest, 'dogwalker_walks_started_total'));
  $('#stat-completed').textContent = String(total(newest, 'dogwalker_walks_completed_total'));
  $('#stat-in-progress').textContent = String(total(newest, 'dogwalker_walks_in_progress'));
  $('#stat-invalid').textContent = String(total(newest, 'dogwalker_invalid_walk_attempts_total'));
  const count = values(newest, 'dogwalker_walk_distance_meters').find((v) => v.metricName.endsWith('_count'));
  $('#stat-distance-count').textContent = String(count?.value ?? 0);
}

async function refreshPanel() {
  const result = await api('GET', '/api/panel');
  if (!result.ok) {
    $('#panel-status').textContent = `The panel could not be read (${result.status}).`;
    return;
  }
  samples.push(result.data);
  while (samples.length > 2 && result.data.time - samples[0].time > HISTORY_MS) samples.shift();
  showStats(result.data);
  drawDistance(result.data);
  if (samples.length >= 2) {
    drawRequests();
    drawWalks();
  }
  document.body.dataset.panelReads = String(Number(document.body.dataset.panelReads ?? 0) + 1);
  $('#panel-status').textContent = `Updated ${new Date(result.data.time).toLocaleTimeString()}.`;
}

async function tick() {
  try {
    await Promise.all([refreshPanel(), refreshWalks()]);
  } catch (error) {
    $('#panel-status').textContent = `The app does not answer: ${error.message}`;
  }
  setTimeout(tick, POLL_MS);
}

refreshPeople().then(tick);
