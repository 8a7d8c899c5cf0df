import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { ProfileFunctions } from './profile-functions';

/** The table operations the service performs; DynamoDB publishes request metrics per operation. */
export const TABLE_OPERATIONS = [
  dynamodb.Operation.GET_ITEM,
  dynamodb.Operation.PUT_ITEM,
  dynamodb.Operation.UPDATE_ITEM,
  dynamodb.Operation.DELETE_ITEM,
  dynamodb.Operation.QUERY,
  dynamodb.Operation.TRANSACT_WRITE_ITEMS,
];

/** What is monitored: the table and its indexes, the functions, the API and its firewall. */
export interface MonitoredParts {
  readonly table: dynamodb.Table;
  /** The table's indexes: the list's and the search's (whose throttling holds back writes). */
  readonly indexNames: readonly string[];
  readonly functions: ProfileFunctions;
  readonly api: apigateway.RestApi;
  /** The web ACL in front of the API; none with `waf=false`. */
  readonly webAcl?: wafv2.CfnWebACL;
}
