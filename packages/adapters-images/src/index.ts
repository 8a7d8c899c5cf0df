export {
  IsolatedImageProcessor,
  type IsolatedImageProcessorOptions,
  type PhotoWorkerEntry,
} from './isolated-image-processor';
export { SharpImageProcessor } from './sharp-image-processor';
