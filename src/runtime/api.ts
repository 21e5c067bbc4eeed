/**
 * The page-facing model API (main thread). Implemented by `client.ts`, which
 * talks to `worker.ts` (tfjs lives only in the worker). Figures and React code
 * depend on this interface, never on tfjs.
 *
 * Every method is async and cheap to call repeatedly: the client numbers each
 * request; `forward` resolves with `null` when a newer forward request has
 * superseded it (so a stale result can never overwrite a newer one).
 */
import type {
  BackendInfo,
  BackendName,
  ForwardResult,
  GenerateOptions,
  GenerateStats,
  GenerateStep,
  InspectResult,
  LensResult,
  LoadProgress,
  Matrix,
  MatrixName,
  ModelInfo,
} from './types';

/** Where a model's three files come from. */
export type ModelSource =
  | { kind: 'url'; key: string; label: string; baseUrl: string } // baseUrl ends with '/', serves config.json, model.safetensors, tokenizer.json
  | {
      kind: 'bytes';
      key: string;
      label: string;
      config: ArrayBuffer;
      safetensors: ArrayBuffer | Blob;
      tokenizer: ArrayBuffer;
    };

export interface ModelApi {
  /** Chooses the best backend (or the requested one), falling back on failure. */
  init(preferred?: BackendName | 'auto'): Promise<BackendInfo>;
  setBackend(name: BackendName): Promise<BackendInfo>;
  backend(): BackendInfo | null;
  /**
   * Called when the worker changes backend by itself (the GPU it ran on was lost:
   * WebGPU device lost, WebGL context lost). The note says why. Returns unsubscribe.
   */
  onBackendChange?(listener: (b: BackendInfo) => void): () => void;
  /**
   * A model switch starts: cancels the active model's generation and every request of it not answered yet
   * (forwards resolve null, matrix/directPath reject with an AbortError, a generation resolves stopped with
   * `switched: true`). loadModel does it too; the page calls it first, before it fetches anything.
   */
  cancelModelWork?(): void;
  /**
   * Loads weights into the worker. The previous model stays active if this rejects.
   * url: fetches config.json and model.safetensors (tokenizer.json is the page's job).
   * bytes: the buffers are not detached (the worker reads a Blob copy tensor by tensor).
   * `after`: the files download at once, but the weights go to the worker only once it resolves
   * (the page passes its backend start-up and its tokenizer download, so downloading and starting
   * tfjs overlap); if it rejects, nothing reaches the worker and the previous model stays.
   */
  loadModel(
    source: ModelSource,
    onProgress?: (p: LoadProgress) => void,
    signal?: AbortSignal,
    after?: Promise<unknown>,
  ): Promise<ModelInfo>;
  /**
   * Forward pass of the prompt ids (already truncated to n_positions by the caller). null = superseded.
   * lensK: top-k of the logit lens computed inside this forward (default 0 = none; the page asks for
   * the lens separately with `lens`, off the critical path); lastOnly: logits of the last position only ([1, V]).
   * channel: requests supersede only newer requests of the same channel (default 'main', the shared prompt),
   * so a figure running its own forward passes on another channel never cancels the page's.
   */
  forward(ids: number[], opts?: { lensK?: number; lastOnly?: boolean; channel?: string }): Promise<ForwardResult | null>;
  /**
   * The logit lens of a prompt on demand (top-k per layer and position, k default 5), computed in the
   * worker at lower priority than every other request, in chunks. Resolves null when it was stopped:
   * by a newer lens request, by the signal, by a 'main' forward of other ids (a newer prompt), or by
   * another model loading. Same numbers as forward(ids, { lensK: k }).lens.
   * chunkRows: (layer, position) rows per chunk (tests); default 2^20 / V.
   */
  lens(ids: number[], k?: number, opts?: { signal?: AbortSignal; chunkRows?: number }): Promise<LensResult | null>;
  /**
   * One forward pass that keeps every head's attention probabilities and, at `pos` (default: the last
   * position), what each head, attention bias, MLP and the embedding wrote into the residual stream,
   * with the final LayerNorm's scale there. Not part of `forward` (it costs more); null = superseded
   * by a newer inspect request of the same channel (default 'inspect').
   */
  inspect(ids: number[], opts?: { pos?: number; channel?: string }): Promise<InspectResult | null>;
  /** A weight matrix of the active model, copied out once and cached per model. */
  matrix(name: MatrixName): Promise<Matrix>;
  /** Logits [V] of the direct path W_E[token] (+ W_pos[0]? no: token only) -> ln_f -> W_U, no blocks. */
  directPath(tokenId: number): Promise<Float32Array>;
  /** Autoregressive generation; onStep per token; cancel via signal. */
  generate(ids: number[], opts: GenerateOptions, onStep: (s: GenerateStep) => void, signal?: AbortSignal): Promise<GenerateStats>;
  /** tf.memory() of the worker, for leak tests. */
  memory(): Promise<{ numTensors: number; numBytes: number }>;
  /** 2-D matMul GFLOP/s on the current backend (benchmark helper). */
  matmulGflops(n: number): Promise<number>;
}
