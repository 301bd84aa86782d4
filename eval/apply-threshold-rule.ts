import { openBundleRuntime } from '../runtime/open-bundle.js';
import type { ModelVariant } from '../shared/bundle/manifest.js';
import { readBundle } from '../shared/bundle/read.js';
import { writeManifest } from '../shared/bundle/write.js';
import { scoreRecording } from './score-recording.js';
import { isQuantileRule, type ThresholdRule, thresholdFromScores } from './threshold-rule.js';

/**
 * Sets each variant's threshold in a bundle by a rule over normal training data: streams `samples` (the data the
 * model was trained on) through the bundle with that variant, takes factor × quantile of the window scores, and
 * rewrites manifest.json (validated), so the bundle on disk is what a device would run. Returns the thresholds.
 * With the trainer rule the bundle keeps its calibrated (tail-fit) thresholds and is not rewritten.
 */
export async function applyThresholdRule(
  bundleDir: string,
  variants: readonly ModelVariant[],
  samples: Float32Array,
  rule: ThresholdRule,
  describe: string,
): Promise<Partial<Record<ModelVariant, number>>> {
  const { manifest } = await readBundle(bundleDir);
  const thresholds: Partial<Record<ModelVariant, number>> = {};
  if (!isQuantileRule(rule)) {
    for (const variant of variants) thresholds[variant] = manifest.variants[variant].threshold;
    return thresholds;
  }
  for (const variant of variants) {
    const model = await openBundleRuntime(bundleDir, { variant });
    try {
      const scored = await scoreRecording(model, samples, describe);
      const threshold = thresholdFromScores(
        scored.windows.map((w) => w.score),
        rule,
      );
      thresholds[variant] = threshold;
      manifest.variants[variant] = { ...manifest.variants[variant], threshold };
    } finally {
      await model.close();
    }
  }
  manifest.training = {
    ...manifest.training,
    thresholdRule: { ...rule, on: `window scores of ${describe}` },
  };
  await writeManifest(bundleDir, manifest);
  return thresholds;
}
