import { defineRuntimeSuite } from './suite';

// tfjs-backend-wasm in Node: single-threaded, same kernels (XNNPACK) as the browser's SIMD build.
defineRuntimeSuite('wasm');
