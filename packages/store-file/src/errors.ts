/**
 * Stable codes of every error this package throws. Match on `code`, not `instanceof`: two
 * copies of the package can be loaded at once.
 */
export type FileStoreErrorCode =
  | 'MQTTKIT_ERR_FILE_STORE_OPTION'
  | 'MQTTKIT_ERR_FILE_STORE_IO'
  | 'MQTTKIT_ERR_FILE_STORE_CORRUPT'
  | 'MQTTKIT_ERR_FILE_STORE_CLOSED';

/** `createFileStore` got an unusable option (thrown before any file is touched). */
export class FileStoreOptionError extends RangeError {
  readonly code = 'MQTTKIT_ERR_FILE_STORE_OPTION' as const;
  readonly option: string;

  constructor(option: string, message: string) {
    super(`Invalid file store option ${option}: ${message}`);
    this.name = 'FileStoreOptionError';
    this.option = option;
  }
}

/** Reading, writing, syncing or renaming the log failed; the underlying error is `cause`. */
export class FileStoreIoError extends Error {
  readonly code = 'MQTTKIT_ERR_FILE_STORE_IO' as const;
  readonly path: string;

  constructor(path: string, operation: string, cause: unknown) {
    super(`File store ${operation} failed for ${path}`, { cause });
    this.name = 'FileStoreIoError';
    this.path = path;
  }
}

/**
 * A record before the last one cannot be read. A torn last record (the process died while
 * appending it) is expected after a crash and silently dropped; damage anywhere else means the
 * file was changed by something else, and guessing would resend the wrong messages.
 */
export class FileStoreCorruptError extends Error {
  readonly code = 'MQTTKIT_ERR_FILE_STORE_CORRUPT' as const;
  readonly path: string;
  /** 1-based line of the unreadable record. */
  readonly line: number;

  constructor(path: string, line: number, cause?: unknown) {
    super(`File store ${path} is corrupt at line ${line}`, { cause });
    this.name = 'FileStoreCorruptError';
    this.path = path;
    this.line = line;
  }
}

/** The store was used after `close()`. */
export class FileStoreClosedError extends Error {
  readonly code = 'MQTTKIT_ERR_FILE_STORE_CLOSED' as const;

  constructor(path: string) {
    super(`File store ${path} is closed`);
    this.name = 'FileStoreClosedError';
  }
}
