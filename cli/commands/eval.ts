import type { Command } from 'commander';
import { registerNotBuilt } from '../not-built.js';

export function register(program: Command): void {
  registerNotBuilt(program, 'eval', 'score labelled data with a bundle through the device streaming code; F1/FAR/MAR/ROC-AUC');
}
