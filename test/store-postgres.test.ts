import { storeContract } from './store-contract.js';
import { onPostgres } from './support/stores.js';

await onPostgres('Store contract', (f) => storeContract('postgres', f));
