// Moved to tools/process/ so that product code (thrum sim --pty) can use it; re-exported for the plumbing.
export { exited, exitStatus, terminate } from '../../tools/process/child-exit.js';
