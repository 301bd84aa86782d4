import { ThrumError } from '../errors.js';
import { EnvelopeFeature } from './envelope.js';
import type { KindComputer } from './kind.js';
import { RawFeature } from './raw.js';
import type { FeatureGroup, FeatureKind, FeatureSpec } from './spec.js';
import { SpectrumFeature } from './spectrum.js';
import { StatsFeature } from './stats.js';

/**
 * Where each value sits in the feature vector: for each kind in spec.kinds order, for each channel, that
 * kind's values for that channel. E.g. kinds [spectrum, stats], channels x,y with 8 bands:
 * [x/spectrum b0..b7][y/spectrum b0..b7][x/stats rms,peak,crest,kurtosis][y/stats ...].
 */
export interface FeatureLayout {
  computers: KindComputer[];
  groups: FeatureGroup[];
  /** One name per value, `<group>.<value>`, e.g. `x/spectrum.b3`, `y/stats.rms`, `z/raw.t17`. */
  labels: string[];
  size: number;
}

function computerFor(kind: FeatureKind, spec: FeatureSpec): KindComputer {
  switch (kind) {
    case 'raw':
      return new RawFeature(spec.window);
    case 'spectrum':
      return new SpectrumFeature(spec);
    case 'stats':
      return new StatsFeature();
    case 'envelope':
      return new EnvelopeFeature(spec);
  }
}

export function defaultChannelNames(channels: number): string[] {
  return Array.from({ length: channels }, (_, c) => `ch${c}`);
}

export function featureLayout(spec: FeatureSpec, channelNames: readonly string[]): FeatureLayout {
  const seen = new Set<FeatureKind>();
  for (const kind of spec.kinds) {
    if (seen.has(kind)) {
      throw new ThrumError('BAD_USAGE', `feature spec: kinds lists "${kind}" twice: list each kind once`);
    }
    seen.add(kind);
  }
  if (channelNames.length !== spec.channels) {
    throw new ThrumError(
      'BAD_USAGE',
      `feature channel names: got ${channelNames.length} names for ${spec.channels} channels: give one name per channel`,
    );
  }
  const computers = spec.kinds.map((kind) => computerFor(kind, spec));
  const groups: FeatureGroup[] = [];
  const labels: string[] = [];
  let start = 0;
  for (const computer of computers) {
    for (let channel = 0; channel < spec.channels; channel++) {
      const name = `${channelNames[channel]}/${computer.kind}`;
      groups.push({ name, channel, kind: computer.kind, start, end: start + computer.size });
      for (const label of computer.labels) labels.push(`${name}.${label}`);
      start += computer.size;
    }
  }
  return { computers, groups, labels, size: start };
}
