// The API suite on MariaDB/MySQL (a fresh database per run); skips on a laptop without it, fails under CI.
import { MYSQL_ADMIN_URL, needService } from '../../support/services.js';
import { defineContractSuite } from './contract.js';

defineContractSuite('mysql', { skip: await needService('MariaDB', MYSQL_ADMIN_URL) });
