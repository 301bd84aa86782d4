import { register as registerBench } from './commands/bench.js';
import { register as registerCollect } from './commands/collect.js';
import { register as registerDeploy } from './commands/deploy.js';
import { register as registerEval } from './commands/eval.js';
import { register as registerKeys } from './commands/keys.js';
import { register as registerPack } from './commands/pack.js';
import { register as registerRecord } from './commands/record.js';
import { register as registerRun } from './commands/run.js';
import { register as registerSign } from './commands/sign.js';
import { register as registerSim } from './commands/sim.js';
import { register as registerTrain } from './commands/train.js';
import { register as registerWatch } from './commands/watch.js';
import { buildProgram, runProgram } from './program.js';

const program = buildProgram(
  [
    registerSim,
    registerRecord,
    registerTrain,
    registerKeys,
    registerSign,
    registerEval,
    registerRun,
    registerWatch,
    registerCollect,
    registerBench,
    registerPack,
    registerDeploy,
  ],
  `  npx thrum sim --seconds 10 --fault imbalance --at 5s > imbalance.csv
  npx thrum <command> --help`,
);
await runProgram(program);
