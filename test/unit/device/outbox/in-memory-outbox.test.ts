import { createInMemoryStore, InMemoryOutbox } from '../../../../device/outbox/in-memory-outbox.js';
import { uuidv7 } from '../../../../shared/mqtt/uuidv7.js';

const newAlertId = () => uuidv7(Date.now());

import { outboxContract } from './outbox-contract.js';

outboxContract('InMemoryOutbox', () => {
  const store = createInMemoryStore();
  return {
    open: (bounds) =>
      new InMemoryOutbox({
        bounds: { maxBytes: 10_000_000, maxAgeMs: 30 * 86_400_000, ...bounds },
        newId: newAlertId,
        store,
      }),
  };
});
