import type { Manifest } from '../../shared/bundle/manifest.js';
import { describeDetectorRule } from '../../shared/detector/describe.js';
import { describeFalseAlarms } from '../calibration/false-alarms.js';
import type { TrainingSummary, VariantThreshold } from '../summary.js';
import { escapeHtml } from './escape.js';

function table(rows: [string, string | number][]): string {
  return `<table class="summary">${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(String(v))}</td></tr>`).join('')}</table>`;
}

const num = (v: number, digits = 4) => (Number.isFinite(v) ? +v.toPrecision(digits) : String(v));

/** The summary tables (data, features, model, thresholds, int8), one h2 section each. */
export function summaryTables(m: Manifest, s: TrainingSummary): string {
  const spec = m.features;
  const ops = (list: string[]) => list.join(', ');
  const sections = [
    [
      'Data',
      table([
        ['sources', s.data.sources.join(', ')],
        ['channels', s.data.channelNames.join(', ')],
        ['sample rate', `${s.data.sampleRate} Hz`],
        ['samples per channel', s.data.samplesPerChannel],
        [
          'windows (train / validation / holdout)',
          `${s.windows.train} / ${s.windows.val} / ${s.windows.holdout}`,
        ],
        ...s.data.notes.map((n) => ['loader', n] as [string, string]),
      ]),
    ],
    [
      'Features',
      table([
        ['kinds', spec.kinds.join(' + ')],
        ['window / hop', `${spec.window} / ${spec.hop} samples`],
        [
          'spectrum',
          spec.spectrum
            ? `${spec.spectrum.bands} ${spec.spectrum.scale} bands, ${spec.spectrum.minHz}-${spec.spectrum.maxHz} Hz`
            : '-',
        ],
        ['values per window', m.model.inputSize],
      ]),
    ],
    [
      'Model and training',
      table([
        [
          'model',
          `${s.model.kind}: ${[m.model.inputSize, ...s.model.widths, ...s.model.widths.slice(0, -1).reverse(), m.model.inputSize].join('-')}, ${s.model.parameters} parameters`,
        ],
        ['denoising noise', s.model.denoise || 'off'],
        ['backend', s.backend],
        [
          'epochs',
          `${s.model.epochsRun} run, best ${s.model.bestEpoch}${s.model.stoppedEarly ? ' (early stop)' : ''}`,
        ],
        ['seed', m.training.seed],
        [
          'time',
          `${(s.durationMs / 1000).toFixed(1)} s (${Object.entries(s.stageMs)
            .map(([k, v]) => `${k} ${v} ms`)
            .join(', ')})`,
        ],
        ['ONNX export parity (max |tfjs - ORT|)', num(s.exportParityMaxAbs, 3)],
      ]),
    ],
    [
      'Thresholds',
      table([
        ['rule', s.thresholds.rule],
        ['target false-alarm rate', m.variants.fp32.targetFar],
        ['holdout resolution (1 / windows)', num(s.thresholds.farResolution, 3)],
        ...(['fp32', 'int8'] as const).flatMap((v) => thresholdRows(v, s.thresholds[v], m.detector.k)),
        ['detector', describeDetectorRule(m.detector)],
      ]),
    ],
    [
      'int8 vs fp32',
      table([
        ['threshold shift', `${num(s.int8.thresholdShift * 100, 3)} %`],
        [
          'Spearman (holdout / anomalous)',
          `${num(s.int8.spearmanHoldout, 6)} / ${num(s.int8.spearmanAnomalous, 6)}`,
        ],
        [
          'same decision (holdout / anomalous)',
          `${num(s.int8.decisionAgreementHoldout, 4)} / ${num(s.int8.decisionAgreementAnomalous, 4)}`,
        ],
        ['activation headroom', `x${s.int8.headroom}`],
        ['ORT ops, int8 (level all)', ops(s.int8.optimizedOps)],
        ['ORT ops, fp32 (level all)', ops(s.int8.fp32OptimizedOps)],
        [
          'files',
          `${m.files.fp32.path} ${m.files.fp32.bytes} B, ${m.files.int8.path} ${m.files.int8.bytes} B`,
        ],
      ]),
    ],
  ];
  return sections.map(([title, body]) => `<h2>${title}</h2>${body}`).join('\n');
}

/** A variant's threshold rows: value and method, the tail it came from, the false alarms it is expected to give. */
function thresholdRows(v: string, t: VariantThreshold, k: number): [string, string][] {
  const method =
    t.method === 'gpd-tail' && t.tail
      ? `GPD tail over u = ${num(t.tail.u)} (${t.tail.excesses} excesses, σ ${num(t.tail.sigma)}, ξ ${num(t.tail.xi, 3)}, ${t.tail.fit})`
      : `conservative rule: ${t.fallback ?? 'tail fit not trusted'}`;
  return [
    [
      `${v} threshold`,
      `${num(t.threshold)} (holdout FAR ${num(t.holdoutFar, 3)}, synthetic anomalies caught ${num(t.anomalyDetectRate, 3)}); ${method}`,
    ],
    [
      `${v} expected false alarms`,
      `${describeFalseAlarms(t.expectedFar, t.falseAlarmsPerDay, k)}${t.promisesTarget ? '' : ' (too short a holdout to promise the target)'}`,
    ],
  ];
}
