// class-transformer ships the storage class-validator-jsonschema reads nested types from, but
// types it under types/ only.
declare module 'class-transformer/cjs/storage' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage';
}
