import { importContract } from './import-contract.js';
import { sqliteStores } from './support/stores.js';

importContract('sqlite', sqliteStores);
