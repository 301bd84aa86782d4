import type { Command } from 'commander';
import { registerNotBuilt } from '../not-built.js';

export function register(program: Command): void {
  registerNotBuilt(program, 'train', 'fit the autoencoder on normal data and write a model bundle (fp32 + int8 ONNX)');
}
