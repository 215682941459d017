import { fhirApiContract } from './fhir-api-contract.js';
import { onPostgres } from './support/stores.js';

await onPostgres('FHIR API', (f) => fhirApiContract('postgres', f));
