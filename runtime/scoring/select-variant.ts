import type { Int8Parity } from '../../shared/bundle/int8-parity.js';
import type { ModelVariant } from '../../shared/bundle/manifest.js';
import type { Log } from '../../shared/log.js';
import { chooseVariant } from './choose-variant.js';
import { expectedBatchSize, type Workload } from './expected-batch.js';
import type { InferenceEngine } from './inference-engine.js';
import { type MeasureOptions, measurePerWindowUs } from './measure.js';

export type VariantRequest = ModelVariant | 'auto';

/** The batch size of offline scoring (eval, calibration) and of the log's throughput figure. */
export const THROUGHPUT_BATCH = 64;

export interface VariantChoice {
  variant: ModelVariant;
  engine: InferenceEngine;
  /** auto only: why this variant (the log's and health/inference's `variantReason`). */
  reason?: string;
  /** auto only: the batch size the decision was measured at. */
  batchSize?: number;
  /** auto only: measured cost per window of both variants at `batchSize`. */
  perWindowUs?: Record<ModelVariant, number>;
}

export interface SelectVariantOptions {
  /** How to measure (batches, warmup, clock); the batch size comes from `workload`. */
  measure?: MeasureOptions;
  /**
   * How the daemon will batch: auto decides on the cost at the expected batch size (1 at real sensor rates).
   * Absent (eval, benchmarks): measure.batchSize, default 64.
   */
  workload?: Workload;
  /** The bundle's stored int8 parity; poor parity refuses int8, undefined decides by speed. */
  parity?: Int8Parity;
}

/**
 * Opens the requested model variant. `auto` opens both and measures each at the batch size the daemon will run
 * (two alternating rounds, best of the two, so one slow moment does not decide), then lets `chooseVariant`
 * decide on those costs and the bundle's int8 parity; closes the other engine and logs both figures, the
 * figures at batch 64 and the reason.
 */
export async function selectVariant(
  request: VariantRequest,
  open: (variant: ModelVariant) => Promise<InferenceEngine>,
  logger: Log,
  options: SelectVariantOptions = {},
): Promise<VariantChoice> {
  if (request !== 'auto') return { variant: request, engine: await open(request) };
  const int8 = await open('int8');
  const fp32 = await open('fp32').catch(async (error: unknown) => {
    await int8.close();
    throw error;
  });
  const engines = { int8, fp32 };
  const measureAt = async (batchSize: number): Promise<Record<ModelVariant, number>> => {
    const us = { int8: Number.POSITIVE_INFINITY, fp32: Number.POSITIVE_INFINITY };
    for (let round = 0; round < 2; round++) {
      for (const v of ['int8', 'fp32'] as const) {
        us[v] = Math.min(us[v], await measurePerWindowUs(engines[v], { ...options.measure, batchSize }));
      }
    }
    return us;
  };
  let batchSize: number;
  let perWindowUs: Record<ModelVariant, number>;
  let atThroughput: Record<ModelVariant, number>;
  try {
    if (options.workload) {
      // Batch 1 first: its cost is the shortest call, which bounds how many windows can pile up meanwhile.
      const single = await measureAt(1);
      batchSize = expectedBatchSize(options.workload, Math.min(single.int8, single.fp32));
      perWindowUs = batchSize === 1 ? single : await measureAt(batchSize);
    } else {
      batchSize = options.measure?.batchSize ?? THROUGHPUT_BATCH;
      perWindowUs = await measureAt(batchSize);
    }
    atThroughput = batchSize === THROUGHPUT_BATCH ? perWindowUs : await measureAt(THROUGHPUT_BATCH);
  } catch (error) {
    await Promise.all([engines.int8.close(), engines.fp32.close()]);
    throw error;
  }
  const { variant, reason } = chooseVariant(
    { batchSize, int8UsPerWindow: perWindowUs.int8, fp32UsPerWindow: perWindowUs.fp32 },
    options.parity,
  );
  await engines[variant === 'int8' ? 'fp32' : 'int8'].close();
  logger.info(
    {
      event: 'model.variant.selected',
      variant,
      reason,
      batchSize,
      int8UsPerWindow: round2(perWindowUs.int8),
      fp32UsPerWindow: round2(perWindowUs.fp32),
      int8UsPerWindowAt64: round2(atThroughput.int8),
      fp32UsPerWindowAt64: round2(atThroughput.fp32),
      int8Spearman: options.parity?.spearmanHoldout,
    },
    `model variant auto: picked ${variant} (${reason})`,
  );
  return { variant, engine: engines[variant], reason, batchSize, perWindowUs };
}

const round2 = (x: number) => Math.round(x * 100) / 100;
