import { importContract } from './import-contract.js';
import { onPostgres } from './support/stores.js';

await onPostgres('Import of national files', (f) => importContract('postgres', f));
