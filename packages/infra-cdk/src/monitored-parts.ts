import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { ProfileFunctions } from './profile-functions';

/** The table operations the service performs; DynamoDB publishes request metrics per operation. */
const TABLE_OPERATIONS = [
  dynamodb.Operation.GET_ITEM,
  dynamodb.Operation.PUT_ITEM,
  dynamodb.Operation.UPDATE_ITEM,
  dynamodb.Operation.DELETE_ITEM,
  dynamodb.Operation.QUERY,
  dynamodb.Operation.TRANSACT_WRITE_ITEMS,
];

/** What the service does to the search table: its items in the profiles' transactions, a query. */
const SEARCH_TABLE_OPERATIONS = [dynamodb.Operation.QUERY, dynamodb.Operation.TRANSACT_WRITE_ITEMS];

/** What is monitored: the tables and their indexes, the functions, the API and its firewall. */
export interface MonitoredParts {
  readonly table: dynamodb.Table;
  /** The profile table's indexes: the list's. */
  readonly indexNames: readonly string[];
  /**
   * The search table and its index (ADR 0025): their throttling holds back the profile writes
   * whose transactions carry search items, and the search.
   */
  readonly searchTable: { readonly table: dynamodb.Table; readonly indexName: string };
  readonly functions: ProfileFunctions;
  readonly api: apigateway.RestApi;
  /** The web ACL in front of the API; none with `waf=false`. */
  readonly webAcl?: wafv2.CfnWebACL;
}

/** One table the service uses: its indexes, the operations it performs on it, its billing. */
export interface MonitoredTable {
  readonly label: string;
  readonly table: dynamodb.Table;
  readonly indexNames: readonly string[];
  readonly operations: readonly dynamodb.Operation[];
  /** Whether it may have provisioned capacity to draw (the search table is always on demand). */
  readonly mayBeProvisioned: boolean;
}

/** The profile table and the search table, as the alarms and the dashboard watch them. */
export const monitoredTables = (parts: MonitoredParts): MonitoredTable[] => [
  {
    label: 'table',
    table: parts.table,
    indexNames: parts.indexNames,
    operations: TABLE_OPERATIONS,
    mayBeProvisioned: true,
  },
  {
    label: 'search table',
    table: parts.searchTable.table,
    indexNames: [parts.searchTable.indexName],
    operations: SEARCH_TABLE_OPERATIONS,
    mayBeProvisioned: false,
  },
];
