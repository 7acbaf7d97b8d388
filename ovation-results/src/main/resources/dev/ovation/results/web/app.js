/*
 * Ovation live results page.
 *
 * One Vue 3 app written with render functions (the page loads Vue's runtime-only build, and the
 * Content-Security-Policy forbids eval, so templates cannot be compiled). Data comes from the
 * results stream (GET /api/contests/{c}/stream, server-sent events); the vote log pages back with
 * GET /logs, a vote is looked up with GET /votes/{id}. Everything that comes from a vote or a contest
 * is rendered as text: Vue escapes text children, Chart.js draws text on a canvas, and nothing here
 * writes HTML.
 */
(function () {
  'use strict';

  const { createApp, h, reactive, markRaw, onMounted, onBeforeUnmount, watch } = Vue;

  /** Lines of the vote log kept on screen. */
  const MAX_LINES = 200;
  /** Lines kept off screen (held while paused, or pushed below the screen), so nothing is skipped. */
  const HOLD_MAX = 2000;
  const PAGE_SIZE = 50;
  /** Pages "Older votes" may ask for in one click when a filtered page holds nothing new. */
  const MAX_PAGES_PER_CLICK = 8;
  const RATE_WINDOW_MS = 10 * 60 * 1000;
  const DOUGHNUT_LEGEND_MAX = 10;
  /** Wait before opening the stream again after it closed for good (HTTP error, wrong type). */
  const REOPEN_MS = [3000, 5000, 10000, 30000];

  const REASONS = { voter_limit: "over the voter's limit" };
  const STATUSES = { open: 'open', closed: 'closed', not_yet_open: 'not yet open', not_open: 'not yet open' };
  const CONNECTION = { connecting: 'connecting…', live: 'live', reconnecting: 'reconnecting…' };
  const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
  /** Band hues; a band's albums are lighter and darker shades of its hue. */
  const HUES = [222, 18, 158, 290, 42, 192, 340, 96, 260, 28, 175, 0];

  // ---------------------------------------------------------------- formatting

  const pad = (n) => String(n).padStart(2, '0');

  function clock(iso) {
    const d = new Date(iso);
    if (!iso || Number.isNaN(d.getTime())) return '--:--:--';
    return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
  }

  function dateTime(iso) {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return String(iso);
    return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  }

  function reasonText(reason) {
    if (!reason) return 'no reason given';
    return REASONS[reason] || String(reason).replace(/_/g, ' ');
  }

  function statusText(status) {
    if (!status) return 'unknown';
    return STATUSES[status] || String(status).replace(/_/g, ' ');
  }

  function entryStatus(e) {
    return e.status === 'rejected' ? 'rejected: ' + reasonText(e.reason) : String(e.status || 'unknown');
  }

  function share(votes, total) {
    return total ? (100 * votes / total).toFixed(1) + '%' : '0.0%';
  }

  function rateText(v) {
    if (v === null || v === undefined) return '—';
    return (v >= 100 ? Math.round(v) : Math.round(v * 10) / 10).toString();
  }

  function ellipsize(s, max) {
    s = String(s);
    return s.length > max ? s.slice(0, max - 1) + '…' : s;
  }

  /** Each band keeps the hue it first got, so a band overtaking another does not change colour. */
  const bandHues = new Map();

  function hueOf(band) {
    if (!bandHues.has(band)) bandHues.set(band, HUES[bandHues.size % HUES.length]);
    return bandHues.get(band);
  }

  const bandColor = (band) => 'hsl(' + hueOf(band) + ' 62% 46%)';

  function albumColor(band, albumIndex, albumCount) {
    const light = albumCount <= 1 ? 46 : 34 + Math.round(34 * albumIndex / (albumCount - 1));
    return 'hsl(' + hueOf(band) + ' 58% ' + light + '%)';
  }

  // ---------------------------------------------------------------- state

  const params = new URLSearchParams(location.search);

  const S = reactive({
    contestId: params.get('contest') || 'default',
    contests: markRaw([]),
    results: null,
    connection: 'connecting',
    errors: {},
    rateNow: null,
    // vote log
    lines: markRaw([]),
    paused: false,
    held: 0,
    band: '',
    album: '',
    next: null,
    nextKnown: false,
    logEnd: false,
    logBusy: false,
    below: 0,
    // vote check
    checkId: '',
    checkBusy: false,
    check: null,
  });

  /** Entries that arrived live, so their line can be highlighted once. */
  let fresh = new WeakSet();
  /** Newer lines not on screen (paused, or pushed up by paging back), newest first. */
  let above = [];
  /** True when {@code above} overflowed: it no longer joins the screen without a gap. */
  let aboveGap = false;
  /** Older lines pushed off the bottom of the screen, newest first. */
  let below = [];
  /** A filtered reload is in flight; live entries wait here so none is lost or doubled. */
  let reloading = false;
  let arrivedDuringReload = [];
  /** Votes per second, oldest first, as {x: epoch millis, y: votes per second}. */
  let rate = [];
  /** Bumped whenever the contest changes or the stream reopens; late answers of an old one are dropped. */
  let generation = 0;

  function setError(key, message) {
    S.errors = Object.assign({}, S.errors, { [key]: message });
  }

  function clearError(key) {
    if (!S.errors[key]) return;
    const copy = Object.assign({}, S.errors);
    delete copy[key];
    S.errors = copy;
  }

  // ---------------------------------------------------------------- API

  const contestPath = (id) => '/api/contests/' + encodeURIComponent(id);

  /** GET a JSON body; resolves with {status, ok, body}, rejects only when the server did not answer. */
  async function getJson(path) {
    let response;
    try {
      response = await fetch(path, { headers: { Accept: 'application/json' }, cache: 'no-store' });
    } catch (e) {
      throw new Error('the server did not answer');
    }
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    return { status: response.status, ok: response.ok, body };
  }

  /** GET a JSON body that must be a success; rejects with the server's message otherwise. */
  async function getOk(path) {
    const answer = await getJson(path);
    if (!answer.ok || answer.body === null) {
      const message = answer.body && answer.body.message ? answer.body.message : 'HTTP ' + answer.status;
      const error = new Error(message);
      error.body = answer.body;
      throw error;
    }
    return answer.body;
  }

  function logQuery(cursor) {
    const q = new URLSearchParams();
    q.set('limit', String(PAGE_SIZE));
    if (cursor) q.set('cursor', cursor);
    if (S.band) q.set('band', S.band);
    if (S.band && S.album) q.set('album', S.album);
    return contestPath(S.contestId) + '/logs?' + q.toString();
  }

  function exportLogUrl() {
    const q = new URLSearchParams();
    if (S.band) q.set('band', S.band);
    if (S.band && S.album) q.set('album', S.album);
    const query = q.toString();
    return contestPath(S.contestId) + '/logs.csv' + (query ? '?' + query : '');
  }

  async function loadContests() {
    try {
      const list = await getOk('/api/contests');
      S.contests = markRaw(Array.isArray(list) ? list : []);
      clearError('contests');
    } catch (e) {
      setError('contests', 'Could not load the list of contests (' + e.message + '); the switcher shows only this one. Reload the page to try again.');
    }
  }

  // ---------------------------------------------------------------- live stream

  let source = null;
  let reopenTimer = 0;
  let reopenAttempt = 0;

  function disconnect() {
    if (source) source.close();
    source = null;
    clearTimeout(reopenTimer);
  }

  function connect() {
    disconnect();
    const mine = ++generation;
    S.connection = 'connecting';
    const stream = new EventSource(contestPath(S.contestId) + '/stream');
    source = stream;
    stream.addEventListener('open', () => {
      if (mine === generation) S.connection = 'live';
    });
    stream.addEventListener('update', (event) => {
      if (mine !== generation) return;
      let update;
      try {
        update = JSON.parse(event.data);
      } catch (e) {
        setError('stream', 'The live stream sent an update this page cannot read. Reload the page; if it keeps happening, the page and the server are from different versions.');
        return;
      }
      S.connection = 'live';
      reopenAttempt = 0;
      clearError('stream');
      onUpdate(update);
    });
    stream.addEventListener('error', () => {
      if (mine !== generation) return;
      S.connection = 'reconnecting';
      if (stream.readyState === EventSource.CLOSED) {
        explainClosedStream(mine);
        const wait = REOPEN_MS[Math.min(reopenAttempt++, REOPEN_MS.length - 1)];
        reopenTimer = setTimeout(() => {
          if (mine === generation) connect();
        }, wait);
      } else {
        setError('stream', 'Lost the live stream; reconnecting by itself. If it does not come back, check that the results service is running, then reload the page.');
      }
    });
  }

  /** The browser gave up on the stream (an HTTP error): ask the results endpoint why. */
  async function explainClosedStream(mine) {
    try {
      const answer = await getJson(contestPath(S.contestId) + '/results');
      if (mine !== generation) return;
      if (answer.ok && answer.body) {
        setResults(answer.body);
        setError('stream', 'The live stream is unavailable, so these numbers do not move; retrying every few seconds. Reload the page if it does not recover.');
      } else if (answer.body && answer.body.error === 'unknown_contest') {
        setError('stream', (answer.body.message || 'There is no such contest.') + ' Pick a contest in the list above.');
      } else {
        const why = answer.body && answer.body.message ? answer.body.message : 'HTTP ' + answer.status;
        setError('stream', 'The results service answered with an error (' + why + '); retrying every few seconds.');
      }
    } catch (e) {
      if (mine !== generation) return;
      setError('stream', 'The results service does not answer (' + e.message + '); retrying every few seconds. Check that it is running.');
    }
  }

  function onUpdate(update) {
    if (update.first) {
      if (update.results) setResults(update.results);
      resetRate(update.rate || []);
      resetLog(update.entries || []);
      loadContests();
      return;
    }
    if (update.results) setResults(update.results);
    if (update.rate && update.rate.length) appendRate(update.rate);
    if (update.entries && update.entries.length) onLiveEntries(update.entries);
  }

  function setResults(results) {
    S.results = markRaw(results);
    if (results.title) document.title = 'Ovation — ' + results.title;
  }

  // ---------------------------------------------------------------- votes per second

  function toPoint(p) {
    return { x: Date.parse(p.at), y: Number(p.votes) || 0 };
  }

  function trimRate() {
    if (!rate.length) return;
    const oldest = rate[rate.length - 1].x - RATE_WINDOW_MS;
    let drop = 0;
    while (drop < rate.length && rate[drop].x < oldest) drop++;
    if (drop) rate.splice(0, drop);
  }

  function resetRate(points) {
    rate = points.map(toPoint).filter((p) => !Number.isNaN(p.x)).sort((a, b) => a.x - b.x);
    trimRate();
    rateChanged();
  }

  function appendRate(points) {
    for (const p of points.map(toPoint)) {
      if (Number.isNaN(p.x)) continue;
      if (rate.length && p.x <= rate[rate.length - 1].x) continue;
      rate.push(p);
    }
    trimRate();
    rateChanged();
  }

  function rateChanged() {
    S.rateNow = rate.length ? rate[rate.length - 1].y : null;
    charts.setRate(rate);
  }

  // ---------------------------------------------------------------- vote log

  const matchesFilter = (e) => (!S.band || e.band === S.band) && (!S.band || !S.album || e.album === S.album);
  const hasFilter = () => Boolean(S.band);
  const filterKey = () => S.band + '\u0000' + S.album;

  function setLines(lines) {
    S.lines = markRaw(lines);
  }

  function pushBelow(lines) {
    if (!lines.length) return;
    below = lines.concat(below);
    if (below.length > HOLD_MAX) {
      // Older lines than these are no longer reachable without a gap: stop paging back.
      below.length = HOLD_MAX;
      S.next = null;
      S.nextKnown = true;
      S.logEnd = false;
    }
    S.below = below.length;
  }

  function holdAbove(lines, atTop) {
    above = atTop ? lines.concat(above) : above.concat(lines);
    if (above.length > HOLD_MAX) {
      above.length = HOLD_MAX;
      aboveGap = true;
    }
  }

  function idsOnScreen() {
    const ids = new Set();
    for (const e of S.lines) ids.add(e.id);
    for (const e of above) ids.add(e.id);
    return ids;
  }

  function clearLog() {
    setLines([]);
    above = [];
    aboveGap = false;
    below = [];
    S.below = 0;
    S.held = 0;
    S.next = null;
    S.nextKnown = false;
    S.logEnd = false;
    reloading = false;
    arrivedDuringReload = [];
    fresh = new WeakSet();
  }

  /** A first update replaces the log; a filtered log is asked for again, as the stream's lines are not filtered. */
  function resetLog(entries) {
    if (hasFilter()) {
      reloadLog();
      return;
    }
    clearLog();
    setLines(entries.slice(0, MAX_LINES));
    pushBelow(entries.slice(MAX_LINES));
  }

  function onLiveEntries(entries) {
    const matching = entries.filter(matchesFilter);
    if (!matching.length) return;
    if (reloading) {
      arrivedDuringReload = matching.concat(arrivedDuringReload);
      return;
    }
    const ids = idsOnScreen();
    const unseen = matching.filter((e) => !ids.has(e.id));
    if (!unseen.length) return;
    unseen.forEach((e) => fresh.add(e));
    if (S.paused) {
      holdAbove(unseen, true);
      S.held += unseen.length;
    } else {
      showOnTop(unseen);
    }
  }

  function showOnTop(entries) {
    const all = entries.concat(S.lines);
    setLines(all.slice(0, MAX_LINES));
    pushBelow(all.slice(MAX_LINES));
  }

  function togglePause() {
    if (!S.paused) {
      S.paused = true;
      return;
    }
    S.paused = false;
    const held = above;
    above = [];
    S.held = 0;
    if (aboveGap) {
      // Too much arrived while paused to join the lines on screen: start again from the newest.
      aboveGap = false;
      below = [];
      S.below = 0;
      setLines(held.slice(0, MAX_LINES));
      pushBelow(held.slice(MAX_LINES));
      S.next = null;
      S.nextKnown = true;
      S.logEnd = false;
      return;
    }
    showOnTop(held);
  }

  /** Older lines at the bottom; past the screen's limit the newest go off the top, held as "new". */
  function appendBottom(entries) {
    if (!entries.length) return;
    const all = S.lines.concat(entries);
    const over = all.length - MAX_LINES;
    if (over > 0) {
      holdAbove(all.slice(0, over), false);
      S.held += over;
      S.paused = true;
      setLines(all.slice(over));
    } else {
      setLines(all);
    }
  }

  async function reloadLog() {
    const mine = generation;
    const key = filterKey();
    clearLog();
    reloading = true;
    S.logBusy = true;
    try {
      const page = await getOk(logQuery(null));
      if (mine !== generation || key !== filterKey()) return;
      const entries = Array.isArray(page.entries) ? page.entries : [];
      const ids = new Set(entries.map((e) => e.id));
      const arrived = arrivedDuringReload.filter((e) => !ids.has(e.id));
      arrived.forEach((e) => fresh.add(e));
      const all = S.paused ? entries : arrived.concat(entries);
      setLines(all.slice(0, MAX_LINES));
      pushBelow(all.slice(MAX_LINES));
      if (S.paused && arrived.length) {
        holdAbove(arrived, true);
        S.held += arrived.length;
      }
      S.next = page.next || null;
      S.nextKnown = true;
      S.logEnd = !page.next;
      clearError('log');
    } catch (e) {
      if (mine !== generation || key !== filterKey()) return;
      setError('log', 'Could not load the vote log (' + e.message + '). Choose the filter again to retry.');
    } finally {
      if (mine === generation && key === filterKey()) {
        reloading = false;
        arrivedDuringReload = [];
        S.logBusy = false;
      }
    }
  }

  /**
   * Shows older votes at the bottom: first the ones pushed off the screen, then pages from the
   * server. A log that came from the stream has no cursor yet: its pages start at the newest vote
   * and are skipped up to the oldest line on screen.
   */
  async function olderVotes() {
    if (below.length) {
      appendBottom(below.splice(0, PAGE_SIZE));
      S.below = below.length;
      return;
    }
    if (S.logBusy || (S.nextKnown && !S.next)) return;
    const mine = generation;
    const key = filterKey();
    S.logBusy = true;
    try {
      let cursor = S.nextKnown ? S.next : null;
      let skipping = !S.nextKnown && S.lines.length > 0;
      const lastId = S.lines.length ? S.lines[S.lines.length - 1].id : null;
      let added = 0;
      for (let i = 0; i < MAX_PAGES_PER_CLICK && added === 0; i++) {
        const page = await getOk(logQuery(cursor));
        if (mine !== generation || key !== filterKey()) return;
        let entries = Array.isArray(page.entries) ? page.entries : [];
        if (skipping) {
          const at = entries.findIndex((e) => e.id === lastId);
          if (at >= 0) {
            skipping = false;
            entries = entries.slice(at + 1);
          } else {
            entries = [];
          }
        }
        const ids = idsOnScreen();
        const older = entries.filter((e) => !ids.has(e.id));
        appendBottom(older);
        added = older.length;
        cursor = page.next || null;
        S.next = cursor;
        S.nextKnown = !skipping;
        if (!cursor) {
          S.nextKnown = true;
          S.logEnd = true;
          break;
        }
      }
      clearError('log');
    } catch (e) {
      if (mine === generation && key === filterKey()) {
        setError('log', 'Could not load older votes (' + e.message + '). Press "Older votes" again to retry.');
      }
    } finally {
      if (mine === generation && key === filterKey()) S.logBusy = false;
    }
  }

  function chooseBand(band) {
    S.band = band;
    S.album = '';
    reloadLog();
  }

  function chooseAlbum(album) {
    S.album = album;
    reloadLog();
  }

  // ---------------------------------------------------------------- vote check

  async function checkVote(event) {
    event.preventDefault();
    const id = S.checkId.trim();
    if (!id) {
      S.check = { status: 'error', message: 'Enter the vote id from your receipt, then press Check.' };
      return;
    }
    const contest = S.contestId;
    S.checkBusy = true;
    try {
      const answer = await getJson(contestPath(contest) + '/votes/' + encodeURIComponent(id));
      if (contest !== S.contestId) return;
      const body = answer.body || {};
      const known = ['counted', 'rejected', 'not_seen'];
      if (known.includes(body.status) && !body.error) {
        S.check = { status: body.status, message: body.message || statusText(body.status), vote: body.vote || null, reason: body.reason };
      } else {
        S.check = { status: 'error', message: body.message || 'The server could not look this vote up (HTTP ' + answer.status + '). Try again in a moment.' };
      }
    } catch (e) {
      S.check = { status: 'error', message: 'The server did not answer, so the vote could not be looked up. Check your connection and try again.' };
    } finally {
      S.checkBusy = false;
    }
  }

  // ---------------------------------------------------------------- contest switching

  function chooseContest(id) {
    if (id === S.contestId) return;
    S.contestId = id;
    const url = new URL(location.href);
    url.searchParams.set('contest', id);
    history.replaceState(null, '', url);
    S.results = null;
    S.band = '';
    S.album = '';
    S.paused = false;
    S.check = null;
    bandHues.clear();
    S.errors = S.errors.contests ? { contests: S.errors.contests } : {};
    clearLog();
    resetRate([]);
    document.title = 'Ovation — live results';
    connect();
  }

  // ---------------------------------------------------------------- charts

  /** The three Chart.js charts, created once and updated in place. */
  const charts = (function () {
    let bands = null;
    let albums = null;
    let perSecond = null;
    let lastRate = [];

    function ready() {
      return typeof Chart !== 'undefined';
    }

    function create(bandCanvas, albumCanvas, rateCanvas) {
      if (!ready()) {
        setError('charts', 'The charts library did not load, so only the table shows the results. Reload the page.');
        return;
      }
      Chart.defaults.font.family = FONT;
      Chart.defaults.color = '#3d4654';
      Chart.defaults.animation = false;
      const grid = { color: '#e3e6eb' };
      bands = new Chart(bandCanvas, {
        type: 'bar',
        data: { labels: [], datasets: [{ label: 'Votes', data: [], backgroundColor: [], borderRadius: 4, maxBarThickness: 28 }] },
        options: {
          indexAxis: 'y',
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          plugins: { legend: { display: false } },
          scales: {
            x: { beginAtZero: true, grid, ticks: { precision: 0 } },
            y: {
              grid: { display: false },
              ticks: {
                autoSkip: false,
                callback(value) {
                  return ellipsize(this.getLabelForValue(value), 22);
                },
              },
            },
          },
        },
      });
      albums = new Chart(albumCanvas, {
        type: 'doughnut',
        data: { labels: [], datasets: [{ label: 'Votes', data: [], backgroundColor: [], borderColor: '#ffffff', borderWidth: 2 }] },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          cutout: '58%',
          onResize(chart, size) {
            const position = size.width >= 520 ? 'right' : 'bottom';
            if (chart.options.plugins.legend.position !== position) {
              chart.options.plugins.legend.position = position;
              chart.update('none');
            }
          },
          plugins: {
            legend: {
              position: 'bottom',
              labels: {
                boxWidth: 12,
                generateLabels(chart) {
                  const all = Chart.overrides.doughnut.plugins.legend.labels.generateLabels(chart);
                  return all.slice(0, DOUGHNUT_LEGEND_MAX).map((item) => Object.assign(item, { text: ellipsize(item.text, 40) }));
                },
              },
            },
          },
        },
      });
      perSecond = new Chart(rateCanvas, {
        type: 'line',
        data: { datasets: [{ label: 'Votes per second', data: [], borderColor: 'hsl(222 62% 46%)', backgroundColor: 'hsl(222 62% 46% / 0.12)', fill: 'origin', pointRadius: 0, borderWidth: 2, cubicInterpolationMode: 'monotone' }] },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          parsing: false,
          normalized: true,
          interaction: { mode: 'nearest', axis: 'x', intersect: false },
          plugins: {
            legend: { display: false },
            tooltip: { callbacks: { title: (items) => (items.length ? clock(new Date(items[0].parsed.x).toISOString()) : '') } },
          },
          scales: {
            x: {
              type: 'linear',
              grid,
              ticks: {
                maxTicksLimit: 6,
                // Minutes alone over a long span; with seconds while the span is short, so ticks differ.
                callback(value) {
                  const time = clock(new Date(value).toISOString());
                  return this.max - this.min > 5 * 60 * 1000 ? time.slice(0, 5) : time;
                },
              },
            },
            y: { beginAtZero: true, grid },
          },
        },
      });
      setResults(S.results);
      setRate(lastRate);
    }

    function setResults(results) {
      if (!bands || !albums) return;
      const list = results && Array.isArray(results.bands) ? results.bands : [];
      bands.data.labels = list.map((b) => b.band);
      bands.data.datasets[0].data = list.map((b) => b.votes);
      bands.data.datasets[0].backgroundColor = list.map((b) => bandColor(b.band));
      bands.update('none');
      const labels = [];
      const votes = [];
      const colors = [];
      list.forEach((b) => {
        const count = (b.albums || []).length;
        (b.albums || []).forEach((a, j) => {
          labels.push(b.band + ' — ' + a.album);
          votes.push(a.votes);
          colors.push(albumColor(b.band, j, count));
        });
      });
      albums.data.labels = labels;
      albums.data.datasets[0].data = votes;
      albums.data.datasets[0].backgroundColor = colors;
      albums.update('none');
    }

    function setRate(points) {
      lastRate = points;
      if (!perSecond) return;
      perSecond.data.datasets[0].data = points.slice();
      // Pin the axis to the data: a linear scale would otherwise round its ends out to "nice" times.
      const x = perSecond.options.scales.x;
      x.max = points.length ? points[points.length - 1].x : undefined;
      x.min = points.length ? Math.max(points[0].x, x.max - RATE_WINDOW_MS) : undefined;
      x.ticks.display = points.length > 0;
      perSecond.update('none');
    }

    function destroy() {
      [bands, albums, perSecond].forEach((c) => c && c.destroy());
      bands = albums = perSecond = null;
    }

    return { create, setResults, setRate, destroy };
  })();

  // ---------------------------------------------------------------- components

  const TopBar = {
    setup() {
      const onChange = (event) => chooseContest(event.target.value);
      return () => {
        const r = S.results;
        const listed = S.contests.find((c) => c.id === S.contestId);
        const title = (r && r.title) || (listed && listed.title) || S.contestId;
        const status = (r && r.status) || (listed && listed.status) || null;
        const opensAt = r ? r.opensAt : listed && listed.opensAt;
        const closesAt = r ? r.closesAt : listed && listed.closesAt;
        const options = S.contests.map((c) => ({ id: c.id, title: c.title || c.id }));
        if (!options.some((o) => o.id === S.contestId)) options.unshift({ id: S.contestId, title: S.contestId });
        return h('header', { class: 'top' }, [
          h('div', { class: 'top-inner' }, [
            h('div', { class: 'brand' }, [
              h('p', { class: 'logo' }, 'Ovation'),
              h('h1', { id: 'contest-title' }, title),
            ]),
            h('div', { class: 'switcher' }, [
              h('label', { for: 'contest-select' }, 'Contest'),
              h('select', { id: 'contest-select', value: S.contestId, onChange }, options.map((o) =>
                h('option', { key: o.id, value: o.id, selected: o.id === S.contestId }, o.title === o.id ? o.id : o.title + ' (' + o.id + ')'))),
            ]),
            h('p', { class: 'meta' }, [
              h('span', { id: 'contest-status', class: 'pill', 'data-status': status || 'unknown' }, status ? 'voting ' + statusText(status) : 'status unknown'),
              h('span', { id: 'voting-window', class: 'window', hidden: !r && !listed }, [
                h('span', { class: 'sr-label' }, 'Voting window: '),
                opensAt ? 'opens ' + dateTime(opensAt) : 'open from the start',
                ' · ',
                closesAt ? 'closes ' + dateTime(closesAt) : 'no closing time',
              ]),
              h('span', { id: 'connection', class: 'conn', 'data-state': S.connection, role: 'status' }, [
                h('span', { class: 'dot', 'aria-hidden': 'true' }),
                CONNECTION[S.connection],
              ]),
            ]),
          ]),
        ]);
      };
    },
  };

  const ErrorLine = {
    setup() {
      return () => {
        const text = Object.values(S.errors).filter(Boolean).join(' ');
        return h('p', { id: 'error', class: 'error', role: 'alert', hidden: !text }, text);
      };
    },
  };

  function stat(id, label, value, extra) {
    return h('div', { class: 'stat' }, [
      h('dt', label),
      h('dd', { id, class: 'stat-value' }, value),
      extra || null,
    ]);
  }

  const Numbers = {
    setup() {
      return () => {
        const r = S.results;
        const rejected = r && r.rejected ? Object.entries(r.rejected) : [];
        return h('section', { class: 'card numbers', 'aria-labelledby': 'numbers-heading' }, [
          h('h2', { id: 'numbers-heading', class: 'sr-only' }, 'Numbers'),
          h('dl', { class: 'stats' }, [
            stat('total', 'Votes counted', r ? String(r.total) : '—'),
            stat('rate-now', 'Votes per second', rateText(S.rateNow)),
            stat('duplicates', 'Duplicates absorbed', r ? String(r.duplicates) : '—'),
            stat('dead-letters', 'Dead letters', r ? String(r.deadLetters ?? 0) : '—'),
            h('div', { class: 'stat stat-wide' }, [
              h('dt', 'Not counted'),
              h('dd', { id: 'rejected', class: 'reasons' }, rejected.length
                ? rejected.map(([reason, count]) => h('div', { key: reason, class: 'reason', 'data-reason': reason }, [
                  h('span', { class: 'reason-name' }, reasonText(reason)),
                  h('span', { class: 'reason-count' }, String(count)),
                ]))
                : h('div', { class: 'reason none' }, r ? 'none' : '—')),
            ]),
          ]),
          h('p', { class: 'as-of' }, [
            'updated ',
            h('time', { id: 'updated', datetime: r && r.asOf ? r.asOf : null }, r && r.asOf ? clock(r.asOf) : 'not yet'),
          ]),
        ]);
      };
    },
  };

  const ResultsTable = {
    setup() {
      return () => {
        const r = S.results;
        const total = r ? r.total : 0;
        const rows = [];
        for (const b of (r && r.bands) || []) {
          rows.push(h('tr', { key: 'b\u0000' + b.band, class: 'band', 'data-band': b.band }, [
            h('th', { scope: 'row', class: 'name' }, b.band),
            h('td', { class: 'votes' }, String(b.votes)),
            shareCell(b.votes, total),
          ]));
          for (const a of b.albums || []) {
            rows.push(h('tr', { key: 'a\u0000' + b.band + '\u0000' + a.album, class: 'album', 'data-band': b.band, 'data-album': a.album }, [
              h('th', { scope: 'row', class: 'name' }, a.album),
              h('td', { class: 'votes' }, String(a.votes)),
              shareCell(a.votes, total),
            ]));
          }
        }
        if (!rows.length) {
          rows.push(h('tr', { key: 'empty', class: 'empty' }, [h('td', { colspan: 3 }, r ? 'No votes counted yet.' : 'Waiting for the results…')]));
        }
        return h('table', { id: 'results-table', class: 'results' }, [
          h('caption', 'Exact numbers, bands by votes, each with its albums'),
          h('thead', h('tr', [
            h('th', { scope: 'col' }, 'Band / album'),
            h('th', { scope: 'col', class: 'num' }, 'Votes'),
            h('th', { scope: 'col', class: 'num' }, 'Share'),
          ])),
          h('tbody', rows),
        ]);
      };
    },
  };

  function shareCell(votes, total) {
    const pct = total ? Math.min(100, 100 * votes / total) : 0;
    return h('td', { class: 'share' }, [
      h('span', { class: 'share-text' }, share(votes, total)),
      h('span', { class: 'share-bar', 'aria-hidden': 'true' }, h('span', { class: 'share-fill', style: { width: pct + '%' } })),
    ]);
  }

  function summary(results) {
    const list = results && Array.isArray(results.bands) ? results.bands : [];
    if (!list.length) return 'no votes yet';
    return list.map((b) => b.band + ' ' + b.votes).join(', ');
  }

  const Charts = {
    setup() {
      let bandCanvas = null;
      let albumCanvas = null;
      let rateCanvas = null;
      onMounted(() => charts.create(bandCanvas, albumCanvas, rateCanvas));
      onBeforeUnmount(() => charts.destroy());
      watch(() => S.results, (r) => charts.setResults(r));
      return () => {
        const bandCount = S.results && S.results.bands ? S.results.bands.length : 0;
        const bandsHeight = Math.max(180, 36 * bandCount + 48);
        return h('section', { class: 'card charts', 'aria-labelledby': 'charts-heading' }, [
          h('h2', { id: 'charts-heading' }, 'Results'),
          h('figure', { class: 'chart' }, [
            h('figcaption', 'Votes per band'),
            h('div', { class: 'chart-box', style: { height: bandsHeight + 'px' } },
              h('canvas', { id: 'chart-bands', ref: (el) => { bandCanvas = el; }, role: 'img', 'aria-label': 'Votes per band: ' + summary(S.results) }, 'Votes per band; the table below has the exact numbers.')),
          ]),
          h('div', { class: 'chart-pair' }, [
            h('figure', { class: 'chart' }, [
              h('figcaption', 'Votes per album'),
              h('div', { class: 'chart-box chart-box-albums' },
                h('canvas', { id: 'chart-albums', ref: (el) => { albumCanvas = el; }, role: 'img', 'aria-label': 'Votes per album as a doughnut; the table below has the exact numbers.' }, 'Votes per album; the table below has the exact numbers.')),
            ]),
            h('figure', { class: 'chart' }, [
              h('figcaption', 'Votes per second, last 10 minutes'),
              h('div', { class: 'chart-box chart-box-rate' },
                h('canvas', { id: 'chart-rate', ref: (el) => { rateCanvas = el; }, role: 'img', 'aria-label': 'Votes counted per second over the last 10 minutes; now ' + rateText(S.rateNow) + ' per second.' }, 'Votes per second over the last 10 minutes.')),
            ]),
          ]),
          h(ResultsTable),
        ]);
      };
    },
  };

  function logLine(e) {
    const rejected = e.status === 'rejected';
    return h('li', { key: e.id, class: ['log-line', rejected ? 'is-rejected' : 'is-counted', fresh.has(e) ? 'fresh' : null], 'data-id': e.id }, [
      h('time', { class: 'log-time', datetime: e.countedAt || null }, clock(e.countedAt)),
      h('span', { class: 'log-vote' }, [
        h('span', { class: 'log-band' }, String(e.band)),
        h('span', { class: 'log-sep', 'aria-hidden': 'true' }, ' — '),
        h('span', { class: 'log-album' }, String(e.album)),
      ]),
      h('span', { class: 'log-meta' }, [
        h('span', { class: 'log-protocol' }, String(e.protocol || 'unknown')),
        h('span', { class: 'log-dot', 'aria-hidden': 'true' }, ' · '),
        h('span', { class: 'log-voter' }, e.voter == null ? 'anonymous' : String(e.voter)),
        h('span', { class: 'log-dot', 'aria-hidden': 'true' }, ' · '),
        h('span', { class: 'log-status' }, entryStatus(e)),
      ]),
    ]);
  }

  const VoteLog = {
    setup() {
      const onBand = (event) => chooseBand(event.target.value);
      const onAlbum = (event) => chooseAlbum(event.target.value);
      return () => {
        const list = S.results && Array.isArray(S.results.bands) ? S.results.bands : [];
        const bandNames = list.map((b) => b.band);
        if (S.band && !bandNames.includes(S.band)) bandNames.push(S.band);
        const chosen = list.find((b) => b.band === S.band);
        const albumNames = chosen ? (chosen.albums || []).map((a) => a.album) : [];
        if (S.album && !albumNames.includes(S.album)) albumNames.push(S.album);
        const moreBelow = S.below > 0 || !S.nextKnown || Boolean(S.next);
        const olderHidden = !moreBelow || (S.lines.length === 0 && !S.nextKnown && !S.logBusy && S.below === 0 && !hasFilter());
        let footer = null;
        if (!S.lines.length) {
          footer = h('p', { class: 'log-note' }, S.logBusy ? 'loading…' : hasFilter() ? 'No votes for this filter yet.' : 'No votes yet. They appear here as they are counted.');
        } else if (S.logEnd && S.below === 0) {
          footer = h('p', { class: 'log-note' }, 'That is the first vote of this log.');
        }
        return h('section', { class: 'card terminal', 'aria-labelledby': 'log-heading' }, [
          h('div', { class: 'log-head' }, [
            h('h2', { id: 'log-heading' }, 'Vote log'),
            h('div', { class: 'log-tools' }, [
              h('button', { type: 'button', id: 'log-pause', class: 'btn btn-dark', 'aria-pressed': S.paused ? 'true' : 'false', onClick: togglePause }, S.paused ? 'Resume' : 'Pause'),
              h('span', { id: 'log-new', class: 'log-new', 'aria-live': 'polite', hidden: !S.paused }, S.held + ' new'),
            ]),
          ]),
          h('div', { class: 'log-filters' }, [
            h('label', { for: 'filter-band' }, 'Band'),
            h('select', { id: 'filter-band', value: S.band, onChange: onBand }, [
              h('option', { key: '', value: '', selected: S.band === '' }, 'All bands'),
              ...bandNames.map((n) => h('option', { key: 'b' + n, value: n, selected: n === S.band }, n)),
            ]),
            h('label', { for: 'filter-album' }, 'Album'),
            h('select', { id: 'filter-album', value: S.album, onChange: onAlbum, disabled: !S.band }, [
              h('option', { key: '', value: '', selected: S.album === '' }, S.band ? 'All albums' : 'Choose a band first'),
              ...albumNames.map((n) => h('option', { key: 'a' + n, value: n, selected: n === S.album }, n)),
            ]),
          ]),
          h('ol', { id: 'log', class: 'log', tabindex: '0', 'aria-label': 'Votes, newest first', 'aria-live': 'off', 'aria-busy': S.logBusy ? 'true' : 'false' },
            S.lines.map(logLine)),
          footer,
          h('div', { class: 'log-foot' }, [
            h('button', { type: 'button', id: 'log-older', class: 'btn btn-dark', hidden: olderHidden, disabled: olderHidden || S.logBusy, onClick: olderVotes }, S.logBusy ? 'Loading…' : 'Older votes'),
            h('span', { class: 'log-count' }, S.lines.length + (S.lines.length === 1 ? ' line' : ' lines') + ' shown'),
          ]),
        ]);
      };
    },
  };

  const VoteCheck = {
    setup() {
      const onInput = (event) => { S.checkId = event.target.value; };
      return () => {
        const c = S.check;
        let answer = null;
        if (c) {
          const details = [];
          if (c.vote) {
            details.push(h('dl', { class: 'check-vote' }, [
              h('dt', 'Band'), h('dd', { class: 'check-band' }, String(c.vote.band)),
              h('dt', 'Album'), h('dd', { class: 'check-album' }, String(c.vote.album)),
              h('dt', 'Received'), h('dd', { class: 'check-received' }, c.vote.receivedAt ? dateTime(c.vote.receivedAt) + ' (' + clock(c.vote.receivedAt) + ')' : 'unknown'),
            ]));
          }
          answer = [h('p', { class: 'check-message' }, c.message), ...details];
        }
        return h('section', { class: 'card check', 'aria-labelledby': 'check-heading' }, [
          h('h2', { id: 'check-heading' }, 'Was my vote counted?'),
          h('form', { id: 'check-form', class: 'check-form', novalidate: true, onSubmit: checkVote }, [
            h('label', { for: 'check-id' }, 'Vote id'),
            h('div', { class: 'check-row' }, [
              h('input', { id: 'check-id', name: 'id', type: 'text', value: S.checkId, onInput, placeholder: 'the id on your receipt', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off', maxlength: '128', 'aria-describedby': 'check-result' }),
              h('button', { type: 'submit', id: 'check-submit', class: 'btn btn-primary', disabled: S.checkBusy }, S.checkBusy ? 'Checking…' : 'Check'),
            ]),
          ]),
          h('div', { id: 'check-result', class: 'check-result', 'data-status': c ? c.status : null, 'aria-live': 'polite', hidden: !c }, answer),
        ]);
      };
    },
  };

  const Export = {
    setup() {
      return () => {
        const base = contestPath(S.contestId);
        const filtered = S.band ? ' (' + S.band + (S.album ? ' — ' + S.album : '') + ')' : '';
        return h('section', { class: 'card export', 'aria-labelledby': 'export-heading' }, [
          h('h2', { id: 'export-heading' }, 'Export'),
          h('ul', { class: 'export-links' }, [
            h('li', h('a', { id: 'export-results-csv', class: 'btn btn-link', href: base + '/results.csv', download: '' }, 'Results (CSV)')),
            h('li', h('a', { id: 'export-results-json', class: 'btn btn-link', href: base + '/results.json', download: '' }, 'Results (JSON)')),
            h('li', h('a', { id: 'export-log-csv', class: 'btn btn-link', href: exportLogUrl(), download: '' }, 'Vote log (CSV)' + filtered)),
          ]),
        ]);
      };
    },
  };

  const Page = {
    setup() {
      return () => [
        h(TopBar),
        h('main', { class: 'layout' }, [
          h(ErrorLine),
          h(Numbers),
          h(Charts),
          h(VoteLog),
          h(VoteCheck),
          h(Export),
        ]),
      ];
    },
  };

  createApp(Page).mount('#app');
  loadContests();
  connect();
  window.addEventListener('pagehide', disconnect);
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) connect();
  });
})();
