// report.html's charts. Reads the JSON blob in #report-data (its shape: trainer/report/chart-data.ts) and
// draws every <div data-chart="id"> with uPlot, which the page inlines before this script. Plain browser
// JavaScript with no build step, because the trainer inlines this file as it is.
(() => {
  const uPlot = window.uPlot;
  const HEIGHT = 300;
  const COLOR = {
    normal: '#1f77b4',
    anomalous: '#ff7f0e',
    fp32: '#d62728',
    int8: '#2ca02c',
    guide: '#777',
  };
  const CHANNEL_COLORS = [
    '#1f77b4',
    '#ff7f0e',
    '#2ca02c',
    '#d62728',
    '#9467bd',
    '#8c564b',
    '#e377c2',
    '#17becf',
  ];
  // Points are coloured by score / threshold on log10 from 0.1x to 100x: blues below the threshold,
  // orange to red above it, so "over the threshold" reads at a glance whatever the score range.
  const RAMP_LOW = -1;
  const RAMP_HIGH = 2;
  const BELOW = ['#9ecae1', '#08519c'];
  const ABOVE = ['#fdae6b', '#a50f15'];

  const fmt = (v) => {
    if (v == null || !Number.isFinite(v)) return '–';
    const a = Math.abs(v);
    return a !== 0 && (a >= 1e5 || a < 1e-3) ? v.toExponential(2) : String(+v.toPrecision(4));
  };
  /** Standard deviation to one significant digit (asinh axes then tick at round numbers), or 1 when none. */
  const spread = (values) => {
    const n = values.length;
    const mean = values.reduce((a, b) => a + b, 0) / (n || 1);
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n || 1));
    return sd > 0 ? +sd.toPrecision(1) : 1;
  };
  /** The largest 1, 2 or 5 x 10^k at or below v > 0: a tick-friendly axis end. */
  const niceBelow = (v) => {
    const decade = 10 ** Math.floor(Math.log10(v));
    return [5, 2, 1].map((m) => m * decade).find((n) => n <= v) ?? decade;
  };
  const alpha = (hex, a) =>
    `rgba(${[1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)).join(',')},${a})`;
  const mix = (from, to, t) => {
    const c = (hex, i) => Number.parseInt(hex.slice(i, i + 2), 16);
    return `rgb(${[1, 3, 5].map((i) => Math.round(c(from, i) + (c(to, i) - c(from, i)) * t)).join(',')})`;
  };
  const scoreColor = (score, threshold) => {
    const t = Math.min(RAMP_HIGH, Math.max(RAMP_LOW, Math.log10(score / threshold)));
    return t < 0
      ? mix(BELOW[0], BELOW[1], (t - RAMP_LOW) / -RAMP_LOW)
      : mix(ABOVE[0], ABOVE[1], t / RAMP_HIGH);
  };

  /** A series' legend value (uPlot calls it with the plot first). */
  const legendNumber = (_u, v) => fmt(v);
  const axis = (label, extra) => ({
    label,
    stroke: '#333',
    labelSize: 24,
    grid: { stroke: '#ececec', width: 1 },
    ticks: { stroke: '#ccc', width: 1 },
    ...extra,
  });
  const LOG = { distr: 3, log: 10 };
  const xScale = (extra) => ({ time: false, ...extra });
  /** A series with no data: a legend entry for a line a draw hook paints (thresholds, the kept epoch). */
  const legendOnly = (label, stroke, dash) => ({
    label,
    stroke,
    dash,
    width: 2,
    points: { show: false },
    value: () => '',
  });

  /** A vertical guide line at x = `value` across the plotting area. */
  const vline = (u, value, stroke, dash) => {
    const x = Math.round(u.valToPos(value, 'x', true));
    if (!(x >= u.bbox.left && x <= u.bbox.left + u.bbox.width)) return;
    const ctx = u.ctx;
    ctx.save();
    ctx.strokeStyle = stroke;
    ctx.lineWidth = 2 * uPlot.pxRatio;
    ctx.setLineDash(dash.map((d) => d * uPlot.pxRatio));
    ctx.beginPath();
    ctx.moveTo(x, u.bbox.top);
    ctx.lineTo(x, u.bbox.top + u.bbox.height);
    ctx.stroke();
    ctx.restore();
  };

  /** A path builder that draws each point itself (circle or triangle), coloured by `colorOf(index)`. */
  const dots = (shape, colorOf) => (u, si, i0, i1) => {
    const ctx = u.ctx;
    const xs = u.data[0];
    const ys = u.data[si];
    const r = 3 * uPlot.pxRatio;
    ctx.save();
    ctx.beginPath();
    ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
    ctx.clip();
    ctx.globalAlpha = 0.85;
    for (let i = i0; i <= i1; i++) {
      if (ys[i] == null) continue;
      const x = u.valToPos(xs[i], 'x', true);
      const y = u.valToPos(ys[i], u.series[si].scale, true);
      ctx.fillStyle = colorOf(i);
      ctx.beginPath();
      if (shape === 'triangle') {
        ctx.moveTo(x, y - 1.3 * r);
        ctx.lineTo(x + 1.2 * r, y + 0.8 * r);
        ctx.lineTo(x - 1.2 * r, y + 0.8 * r);
        ctx.closePath();
      } else {
        ctx.arc(x, y, r, 0, 2 * Math.PI);
      }
      ctx.fill();
    }
    ctx.restore();
    return null;
  };

  /**
   * uPlot's mode 1 wants one ascending x array with every series aligned to it: merge point sets by x, each
   * series null where another set's point sits. Returns [xs, ys per set, source index per row].
   */
  const alignByX = (sets) => {
    const rows = [];
    sets.forEach((set, k) => {
      set.x.forEach((x, i) => {
        if (Number.isFinite(x) && Number.isFinite(set.y[i])) rows.push([x, k, i]);
      });
    });
    rows.sort((a, b) => a[0] - b[0]);
    const ys = sets.map((set, k) => rows.map(([, kk, i]) => (kk === k ? set.y[i] : null)));
    return { xs: rows.map((r) => r[0]), ys, source: rows.map(([, k, i]) => [k, i]) };
  };

  const builders = {
    loss(d) {
      return {
        opts: {
          // uPlot's log ranges snap to whole decades; losses usually move within one.
          scales: { x: xScale(), y: { ...LOG, range: (_u, min, max) => [min / 1.2, max * 1.2] } },
          axes: [
            axis('epoch', { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000] }),
            axis('reconstruction MSE (log scale)', { size: 60 }),
          ],
          series: [
            { label: 'epoch', value: (_u, v) => (v == null ? '–' : String(v)) },
            { label: 'training loss', stroke: COLOR.normal, width: 2, value: legendNumber },
            { label: 'validation loss', stroke: COLOR.anomalous, width: 2, value: legendNumber },
            legendOnly(`kept: epoch ${d.bestEpoch}`, COLOR.guide, [4, 4]),
          ],
          hooks: { draw: [(u) => vline(u, d.bestEpoch, COLOR.guide, [4, 4])] },
        },
        data: [d.epoch, d.train, d.val, d.epoch.map(() => null)],
      };
    },

    scores(d) {
      const step = uPlot.paths.stepped({ align: 1 });
      const series = d.series.map((s) => {
        const color = s.windows === 'normal' ? COLOR.normal : COLOR.anomalous;
        const fp32 = s.variant === 'fp32';
        return {
          label: `${s.windows === 'normal' ? 'held-out normal' : 'synthetic anomalies'}, ${s.variant}`,
          stroke: color,
          width: fp32 ? 2 : 1.5,
          dash: fp32 ? undefined : [5, 3],
          fill: fp32 ? alpha(color, 0.15) : undefined,
          paths: step,
          points: { show: false },
          value: (_u, v) => (v == null ? '–' : `${fmt(v)} %`),
        };
      });
      return {
        opts: {
          scales: { x: xScale(LOG), y: { range: (_u, _min, max) => [0, max * 1.05 || 1] } },
          axes: [axis('window score: reconstruction MSE (log scale)'), axis('share of windows per bin (%)')],
          series: [
            { label: 'score', value: legendNumber },
            ...series,
            legendOnly(`fp32 threshold ${fmt(d.thresholds.fp32)}`, COLOR.fp32, []),
            legendOnly(`int8 threshold ${fmt(d.thresholds.int8)}`, COLOR.int8, [6, 4]),
          ],
          hooks: {
            draw: [
              (u) => {
                vline(u, d.thresholds.fp32, COLOR.fp32, []);
                vline(u, d.thresholds.int8, COLOR.int8, [6, 4]);
              },
            ],
          },
        },
        // The last edge closes the last bin: its value only drops the step back to 0.
        data: [
          d.edges,
          ...d.series.map((s) => [...s.share, 0]),
          d.edges.map(() => null),
          d.edges.map(() => null),
        ],
      };
    },

    int8(d) {
      const positive = (p) => {
        const keep = p.x.map((x, i) => x > 0 && p.y[i] > 0);
        return { x: p.x.filter((_, i) => keep[i]), y: p.y.filter((_, i) => keep[i]) };
      };
      const scatter = (label, color) => ({
        label,
        stroke: color,
        fill: color,
        paths: dots('circle', () => color),
        points: { show: false },
        value: legendNumber,
      });
      // Normal windows last, so they are drawn over the anomalies that score in the same range.
      const { xs, ys } = alignByX([positive(d.anomalous), positive(d.normal)]);
      return {
        opts: {
          scales: { x: xScale(LOG), y: LOG },
          axes: [axis('fp32 score (MSE, log scale)'), axis('int8 score (MSE, log scale)', { size: 60 })],
          series: [
            { label: 'fp32', value: legendNumber },
            scatter(`synthetic anomalies (Spearman ${d.spearman.anomalous.toFixed(5)})`, COLOR.anomalous),
            scatter(`held-out normal (Spearman ${d.spearman.normal.toFixed(5)})`, COLOR.normal),
            { label: 'y = x', stroke: COLOR.guide, width: 1, points: { show: false }, value: () => '' },
          ],
        },
        data: [xs, ...ys, xs],
      };
    },

    groupError(d) {
      const n = d.groups.length;
      const bar = (align) => uPlot.paths.bars({ size: [0.4, 60], align });
      const crowded = n > 10;
      const baseline = (u) => u.scales.y.min;
      const positive = [...d.normal, ...d.anomalous].filter((v) => v > 0);
      return {
        opts: {
          // Just below the smallest bar, not a whole decade below it, so the normal bars stay visible.
          scales: {
            x: xScale({ range: () => [-0.5, n - 0.5] }),
            y: { ...LOG, range: () => [niceBelow(Math.min(...positive) / 2), Math.max(...positive) * 1.5] },
          },
          axes: [
            axis('feature group (channel / kind)', {
              splits: () => d.groups.map((_, i) => i),
              values: (_u, splits) => splits.map((i) => d.groups[i] ?? ''),
              rotate: crowded ? -40 : 0,
              size: crowded ? 90 : 50,
              grid: { show: false },
            }),
            axis('MSE per value (log scale)', { size: 60 }),
          ],
          series: [
            { label: 'group', value: (_u, v) => (v == null ? '–' : d.groups[v]) },
            {
              label: 'held-out normal',
              stroke: COLOR.normal,
              fill: alpha(COLOR.normal, 0.8),
              paths: bar(-1),
              fillTo: baseline,
              points: { show: false },
              value: legendNumber,
            },
            {
              label: 'synthetic anomalies',
              stroke: COLOR.anomalous,
              fill: alpha(COLOR.anomalous, 0.8),
              paths: bar(1),
              fillTo: baseline,
              points: { show: false },
              value: legendNumber,
            },
          ],
        },
        data: [d.groups.map((_, i) => i), d.normal, d.anomalous],
      };
    },

    latent(d) {
      const sets = [d.normal, d.anomalous];
      const { xs, ys, source } = alignByX(sets);
      const color = (i) => {
        const [k, j] = source[i];
        return scoreColor(sets[k].score[j], d.threshold);
      };
      // Anomalies land tens of normal spreads away: an asinh axis, linear within one normal spread and
      // logarithmic beyond, keeps the normal cloud readable and every anomaly on the map.
      const asinh = (values) => ({ distr: 4, asinh: spread(values) });
      return {
        opts: {
          scales: { x: xScale(asinh(d.normal.x)), y: d.yIsScore ? LOG : asinh(d.normal.y) },
          axes: [
            axis(`${d.axes[0]}, asinh scale`),
            axis(d.yIsScore ? d.axes[1] : `${d.axes[1]}, asinh`, { size: 60 }),
          ],
          legend: { live: false },
          cursor: { show: false },
          series: [
            {},
            {
              label: '● held-out normal',
              stroke: '#555',
              fill: '#fff',
              paths: dots('circle', color),
              points: { show: false },
            },
            {
              label: '▲ synthetic anomalies',
              stroke: '#555',
              fill: '#fff',
              paths: dots('triangle', color),
              points: { show: false },
            },
          ],
        },
        data: [xs, ...ys],
        after(el) {
          const bar = document.createElement('div');
          bar.className = 'colorbar';
          const ramp = document.createElement('span');
          ramp.className = 'ramp';
          const at = (t) => `${((100 * (t - RAMP_LOW)) / (RAMP_HIGH - RAMP_LOW)).toFixed(1)}%`;
          ramp.style.background = `linear-gradient(to right, ${BELOW[0]} 0%, ${BELOW[1]} ${at(0)}, ${ABOVE[0]} ${at(0)}, ${ABOVE[1]} 100%)`;
          bar.append('colour: fp32 score ÷ threshold', ' ≤0.1×', ramp, '≥100× (the step is the threshold)');
          el.append(bar);
        },
      };
    },

    spectra(d) {
      if (d.kind === 'features') {
        return {
          opts: {
            scales: { x: xScale({ range: () => [-0.5, d.labels.length - 0.5] }) },
            axes: [
              axis('feature (vector order)', {
                space: 60,
                rotate: -40,
                size: 100,
                values: (_u, splits) => splits.map((i) => (Number.isInteger(i) ? (d.labels[i] ?? '') : '')),
              }),
              axis('mean value (training std)', { size: 60 }),
            ],
            series: [
              { label: 'feature', value: (_u, v) => (v == null ? '–' : d.labels[v]) },
              { label: 'held-out normal', stroke: COLOR.normal, width: 2, value: legendNumber },
              {
                label: 'synthetic anomalies',
                stroke: COLOR.anomalous,
                width: 2,
                dash: [6, 3],
                value: legendNumber,
              },
            ],
          },
          data: [d.labels.map((_, i) => i), d.normal, d.anomalous],
        };
      }
      const series = d.channels.flatMap((c, k) => {
        const stroke = CHANNEL_COLORS[k % CHANNEL_COLORS.length];
        return [
          { label: `${c.name} normal`, stroke, width: 2, value: legendNumber },
          { label: `${c.name} anomalies`, stroke, width: 2, dash: [6, 3], value: legendNumber },
        ];
      });
      return {
        opts: {
          scales: { x: xScale(d.logFrequency ? LOG : {}) },
          axes: [axis('frequency (Hz), band centre'), axis('band power (dB re channel var.)', { size: 60 })],
          series: [{ label: 'Hz', value: legendNumber }, ...series],
        },
        data: [d.frequency, ...d.channels.flatMap((c) => [c.normal, c.anomalous])],
      };
    },
  };

  const charts = JSON.parse(document.getElementById('report-data').textContent);
  const plots = [];
  const widthOf = (el) => Math.max(320, el.clientWidth);
  for (const el of document.querySelectorAll('[data-chart]')) {
    const id = el.dataset.chart;
    try {
      const chart = builders[id](charts[id]);
      const plot = new uPlot({ width: widthOf(el), height: HEIGHT, ...chart.opts }, chart.data, el);
      chart.after?.(el);
      plots.push([el, plot]);
    } catch (e) {
      el.textContent = `This chart could not be drawn: ${e.message}`;
      console.error(`chart ${id}:`, e);
    }
  }
  window.addEventListener('resize', () => {
    for (const [el, plot] of plots) plot.setSize({ width: widthOf(el), height: HEIGHT });
  });
  document.body.dataset.chartsDrawn = String(plots.length);
})();
