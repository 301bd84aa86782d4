// Moved to tools/process/ so that product code (thrum sim --pty) can use it; re-exported for the plumbing.
export { waitUntil } from '../../tools/process/wait-until.js';
