export { startLocalS3, type LocalS3Options, type RunningLocalS3 } from './local-s3';
