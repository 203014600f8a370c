// Loads the optional oneDNN addon (native/) and registers the `native` TF.js backend.
// Placeholder until the addon lands: reports why it is unavailable.

export type NativeLoad = { ok: true; version: string; threads: number } | { ok: false; reason: string };

export async function registerNativeBackend(_threads: number): Promise<NativeLoad> {
  if (process.env.GRADFLOW_NO_NATIVE) return { ok: false, reason: 'hidden by GRADFLOW_NO_NATIVE' };
  return { ok: false, reason: 'the oneDNN addon (native/) is not built' };
}
