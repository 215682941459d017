import { fhirApiContract } from './fhir-api-contract.js';
import { sqliteStores } from './support/stores.js';

fhirApiContract('sqlite', sqliteStores);
