import { storeContract } from './store-contract.js';
import { sqliteStores } from './support/stores.js';

storeContract('sqlite', sqliteStores);
