// The local server with the bare server's routes in its process, built as one bundle (bundles.ts):
// the same reads answered beside the service by the same copy of the SDK, the reference of the
// GET's request pipeline (ADR 0027). The bare server preloaded as a bundle of its own had a private
// copy of the SDK, which only its one route ever called, while the service's copy also serves the
// change feed, the photo worker and every other command; that alone made the bare route about
// 30 µs of CPU a GET cheaper.
import '../packages/adapters-http/src/server';
import './baseline-server';
