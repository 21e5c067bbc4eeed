/// <reference lib="webworker" />
/**
 * A throw-away worker that reads the WebGL renderer string and exits. Creating a browser session's first
 * WebGL context blocks the creating thread until the GPU process answers (about half a second here), so the
 * model worker asks this one instead and keeps downloading and compiling the wasm backend meanwhile.
 */
import { readWebglRenderer } from './webgl-renderer';

const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.postMessage(readWebglRenderer());
scope.close();
