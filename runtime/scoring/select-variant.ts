import type { ModelVariant } from '../../shared/bundle/manifest.js';
import type { Log } from '../../shared/log.js';
import type { InferenceEngine } from './inference-engine.js';
import { type MeasureOptions, measurePerWindowUs } from './measure.js';

export type VariantRequest = ModelVariant | 'auto';

export interface VariantChoice {
  variant: ModelVariant;
  engine: InferenceEngine;
  /** Measured cost per window of both variants (auto only). */
  perWindowUs?: Record<ModelVariant, number>;
}

/**
 * Opens the requested model variant. `auto` opens both, measures each (two alternating rounds, best of the two,
 * so one slow moment does not decide), keeps the faster, closes the other and logs both figures.
 */
export async function selectVariant(
  request: VariantRequest,
  open: (variant: ModelVariant) => Promise<InferenceEngine>,
  logger: Log,
  measure: MeasureOptions = {},
): Promise<VariantChoice> {
  if (request !== 'auto') return { variant: request, engine: await open(request) };
  const int8 = await open('int8');
  const fp32 = await open('fp32').catch(async (error: unknown) => {
    await int8.close();
    throw error;
  });
  const engines = { int8, fp32 };
  const perWindowUs = { int8: Number.POSITIVE_INFINITY, fp32: Number.POSITIVE_INFINITY };
  try {
    for (let round = 0; round < 2; round++) {
      for (const v of ['int8', 'fp32'] as const) {
        perWindowUs[v] = Math.min(perWindowUs[v], await measurePerWindowUs(engines[v], measure));
      }
    }
  } catch (error) {
    await Promise.all([engines.int8.close(), engines.fp32.close()]);
    throw error;
  }
  const variant: ModelVariant = perWindowUs.int8 <= perWindowUs.fp32 ? 'int8' : 'fp32';
  await engines[variant === 'int8' ? 'fp32' : 'int8'].close();
  logger.info(
    {
      event: 'model.variant.selected',
      variant,
      int8UsPerWindow: round2(perWindowUs.int8),
      fp32UsPerWindow: round2(perWindowUs.fp32),
      batchSize: measure.batchSize ?? 64,
    },
    `model variant auto: picked ${variant}`,
  );
  return { variant, engine: engines[variant], perWindowUs };
}

const round2 = (x: number) => Math.round(x * 100) / 100;
