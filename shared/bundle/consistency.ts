// Checks that the parts of a schema-valid manifest agree with each other. Pure: returns problems as
// `field: what is wrong` strings; the reader turns them into one BAD_BUNDLE error.
import { ThrumError } from '../errors.js';
import { FeatureExtractor } from '../features/extractor.js';
import { quote } from '../printable.js';
import { type Manifest, MODEL_VARIANTS } from './manifest.js';

export function manifestProblems(m: Manifest): string[] {
  const problems: string[] = [];
  const channels = m.features.channels;
  if (m.channelNames.length !== channels) {
    problems.push(`channelNames lists ${m.channelNames.length} names but features.channels is ${channels}`);
  }
  const dup = m.channelNames.find((name, i) => m.channelNames.indexOf(name) !== i);
  if (dup !== undefined)
    problems.push(`channelNames: ${quote(dup)} appears twice; channel names must be unique`);
  if (m.features.sampleRate !== m.sampleRate) {
    problems.push(`features.sampleRate is ${m.features.sampleRate} but sampleRate is ${m.sampleRate}`);
  }
  const norm = m.normalization;
  for (const field of ['channelMean', 'channelStd'] as const) {
    if (norm[field].length !== channels) {
      problems.push(
        `normalization.${field} has ${norm[field].length} values, expected ${channels} (one per channel)`,
      );
    }
  }
  const featureSize = featureSizeOf(m, problems);
  if (featureSize !== undefined) {
    if (m.model.inputSize !== featureSize) {
      problems.push(
        `model.inputSize is ${m.model.inputSize} but the feature spec makes ${featureSize} features`,
      );
    }
    for (const field of ['featureMean', 'featureStd'] as const) {
      if (norm[field].length !== featureSize) {
        problems.push(
          `normalization.${field} has ${norm[field].length} values, expected ${featureSize} (one per feature)`,
        );
      }
    }
  }
  for (const variant of MODEL_VARIANTS) {
    const { probs, scores } = m.variants[variant].reference;
    const at = `variants.${variant}.reference`;
    if (probs.length !== scores.length) {
      problems.push(`${at}: probs has ${probs.length} values but scores has ${scores.length}`);
    }
    if (probs.some((p, i) => i > 0 && p <= probs[i - 1]!))
      problems.push(`${at}.probs must be strictly increasing`);
    if (scores.some((s, i) => i > 0 && s < scores[i - 1]!)) problems.push(`${at}.scores must not decrease`);
  }
  if (m.detector.k > m.detector.n) {
    problems.push(`detector.k (${m.detector.k}) is larger than detector.n (${m.detector.n})`);
  }
  return problems;
}

/** Feature vector length of the spec, computed by the same extractor the device runs. */
function featureSizeOf(m: Manifest, problems: string[]): number | undefined {
  if (m.channelNames.length !== m.features.channels) return undefined;
  try {
    return new FeatureExtractor(m.features, undefined, m.channelNames).size;
  } catch (e) {
    if (!(e instanceof ThrumError)) throw e;
    problems.push(`features: ${e.message}`);
    return undefined;
  }
}
