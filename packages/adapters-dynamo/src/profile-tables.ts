/**
 * The tables a profile's items live in: the profile table (profiles, guards, idempotency and
 * suspension records; its stream feeds the change feed) and the search table, which holds their
 * search items and streams nothing (ADR 0025).
 */
export interface ProfileTables {
  readonly tableName: string;
  /**
   * Unset: this process neither writes profiles nor searches them (a function whose routes do
   * neither is given no search table, nor grants on it).
   */
  readonly searchTableName?: string;
}

/** The search table of `tables`, which a profile write or a search cannot do without. */
export function searchTableOf(tables: ProfileTables): string {
  if (tables.searchTableName === undefined) {
    throw new Error(
      'No search table (SEARCH_TABLE_NAME): this process can neither write profiles, whose search items go there, nor search them',
    );
  }
  return tables.searchTableName;
}
