// The data module's public face for the worker and the UI: everything here runs in a browser or worker.
// (Node-only intake lives in intake/node-files.ts and is imported by the CLI directly.)
export type { VqaRecord, Split } from './record.ts';
export { optionLetter, OPTION_LETTERS } from './record.ts';
export type { IntakeFile } from './intake/intake-file.ts';
export { memoryFile, readText, formatBytes } from './intake/intake-file.ts';
export { blobFile, intakeFromDataTransfer, intakeFromFileList } from './intake/browser-files.ts';
export { openZip, expandArchives, DEFAULT_ZIP_LIMITS, type ZipLimits } from './intake/zip.ts';
export { loadDataset, previewDataset, type LoadedDataset, type LoadOptions } from './load.ts';
export { DEFAULT_READ_CONFIG, type ReadConfig, type FormatId, type Detection, type RecordOutcome } from './formats/types.ts';
export { FORMAT_READERS, detectFormats } from './formats/detect.ts';
export type { DataIssue, DataRepair } from './validate/issues.ts';
export type { IntakeReport, ImageCensus } from './validate/report.ts';
export { restoreRecord, recordProblems } from './validate/record-schema.ts';
export { sniffImage, type ImageInfo, type ImageFormat } from './images/sniff.ts';
export { sha256Hex, datasetFingerprint } from './images/hash.ts';
export { decodeImage, canDecodeImages, ImageDecodeError, DEFAULT_DECODE_CONFIG, type DecodeConfig } from './images/decode-browser.ts';
export { rgbToPlanarFloat, rgbaToRgb, SIGLIP_NORMALISATION, type RgbImage, type PixelNormalisation } from './images/pixels.ts';
export { encodePng } from './images/png-encode.ts';
export { DatasetStore, StorageError, describeStorageError, storageEstimate, type DatasetMeta, type StoredImage } from './storage/dataset-store.ts';
export { storeLoadedDataset, storeSynthDataset, type StoreOptions } from './store-dataset.ts';
export { generateAnatomySynth, DEFAULT_SYNTH_CONFIG, type SynthConfig, type SynthDataset } from './synth/anatomy-synth.ts';
export { SYNTH_STRUCTURES, structureByName, type SynthStructure } from './synth/structures.ts';
export { SYNTH_STYLES, type SynthStyle } from './synth/render.ts';
