/** The WebGL renderer string of this thread's first context (null without WebGL). Worker-safe: OffscreenCanvas. */
export function readWebglRenderer(): string | null {
  try {
    if (typeof OffscreenCanvas === 'undefined') return null;
    const canvas = new OffscreenCanvas(1, 1);
    const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
    if (!gl) return null;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const r = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? 'unknown renderer');
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return r;
  } catch {
    return null;
  }
}
