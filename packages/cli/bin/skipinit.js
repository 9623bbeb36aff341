#!/usr/bin/env node
// The `skipinit` binary: a thin launcher over the built CLI (npm install builds it; see the root `prepare` script).
import { main } from '../dist/index.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(`skipinit: internal error: ${err && err.stack ? err.stack : err}`);
    process.exitCode = 70;
  },
);
