export {
  FileStoreClosedError,
  FileStoreCorruptError,
  type FileStoreErrorCode,
  FileStoreIoError,
  FileStoreOptionError,
} from './errors.js';
export {
  createFileStore,
  type FileStore,
  type FileStoreOptions,
  type FsyncPolicy,
} from './file-store.js';
