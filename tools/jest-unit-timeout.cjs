// The unit project's own default timeout (jest reads `testTimeout` only globally): a unit test
// runs in one process on the code alone, so 5 s is a bug or a test in the wrong project.
jest.setTimeout(5_000);
