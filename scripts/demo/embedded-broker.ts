// Moved to device/adapters/ so that `thrum run --replay` can start one too; re-exported for the demo.
export { type EmbeddedBroker, startEmbeddedBroker } from '../../device/adapters/embedded-broker.js';
