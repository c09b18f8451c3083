// The API suite on SQLite (a temp file per run).
import { defineContractSuite } from './contract.js';

defineContractSuite('sqlite');
