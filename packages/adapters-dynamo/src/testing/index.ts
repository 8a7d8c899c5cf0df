export { createTestTable, testClients, testEndpoint } from './test-table';
