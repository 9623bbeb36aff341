/**
 * The one error type of @skipinit/data. `code` is stable (the CLI maps it to an exit code: a missing
 * file is `data/missing-file`, everything about a file's contents is 65-style bad data), `file` names the
 * file at fault when there is one, and the message says what was expected and what was found.
 */
export type DataErrorCode =
  | 'data/missing-file' // a file or directory that should exist does not
  | 'data/bad-format' // wrong magic number, wrong record size, wrong dimensions, trailing bytes
  | 'data/truncated' // a file shorter than its header or the standard says
  | 'data/bad-label' // a label outside [0, classes)
  | 'data/bad-option' // an option out of range or inconsistent with the dataset
  | 'data/bad-state' // a loader state that does not belong to this loader
  | 'data/download' // a download failed: the server cannot be reached, an HTTP error, connections dropped
  | 'data/checksum'; // a downloaded file has another size or SHA-256 than the published archive

export class DataError extends Error {
  override readonly name = 'DataError';
  readonly code: DataErrorCode;
  readonly file: string | undefined;

  constructor(code: DataErrorCode, message: string, file?: string) {
    super(file === undefined ? message : `${file}: ${message}`);
    this.code = code;
    this.file = file;
  }
}

/** Throws a `data/bad-option` error unless `ok`. `where` names the function, e.g. 'BatchLoader'. */
export function check(ok: boolean, where: string, message: string): asserts ok {
  if (!ok) throw new DataError('data/bad-option', `${where}: ${message}`);
}
