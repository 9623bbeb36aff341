// The analysis package's error: bad input to an analysis (a graph with errors, a scheme that cannot apply,
// an unreadable results directory), with a message that says what and where.
export class AnalysisError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnalysisError';
  }
}
