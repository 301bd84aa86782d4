import { ortOptimizedModel } from '../../runtime/engines/ort-optimized-model.js';
import { opTypesOf } from './graph.js';

/** Op types of the graph ORT actually runs with the device's session options (int8 should show QGemm). */
export async function optimizedOps(model: Uint8Array): Promise<string[]> {
  return opTypesOf(await ortOptimizedModel(model));
}
