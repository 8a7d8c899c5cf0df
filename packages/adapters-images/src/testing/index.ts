export * from './photo-fixtures';
export { colourName, renditionFacts, type RenditionFacts } from './rendition-checks';
