// @skipinit/data/fetch: downloading the data sets that are not shipped by an npm package (CIFAR-10,
// CIFAR-100, Fashion-MNIST) from their official URLs, with resume, SHA-256 checks and extraction. A separate
// entry point, so importing @skipinit/data loads no HTTP or tar code.
export { archiveName, FETCHABLE, FETCHABLE_NAMES, type ArchiveFile, type FetchableDataset, type FetchableName } from './archives';
export { download, sha256File, type DownloadOptions, type DownloadProgress, type DownloadResult } from './download';
export { extractTarGz, gunzipFile } from './extract';
export { FETCHED_FILE, fetchDataset, type FetchOptions, type FetchResult } from './fetch-dataset';
