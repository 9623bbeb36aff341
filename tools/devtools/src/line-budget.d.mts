// Types of line-budget.mjs for the TypeScript that imports it (its test).
/** Lines of source each package may hold, by its folder under the workspace root. */
export declare const BUDGETS: Readonly<Record<string, number>>;
