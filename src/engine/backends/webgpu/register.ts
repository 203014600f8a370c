// Registers TF.js's WebGPU backend on Dawn's Node bindings (the optional `webgpu` package): a GPU backend
// that needs no CUDA toolkit and drives Vulkan (NVIDIA, AMD, Intel), Metal (Apple) or D3D12. The package's
// own auto-registration expects a browser (navigator.gpu at import time) and asks for a feature in a form
// Dawn rejects, so the adapter and device are made here and handed to WebGPUBackend directly.
import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { registerWebgpuKernels } from './register_all_kernels.js';

export const WEBGPU_BACKEND = 'webgpu';

/** What Dawn says the adapter is. */
export interface WebgpuAdapter {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A CPU implementation (lavapipe, SwiftShader, WARP): correct, but slower than the native backend. */
  software: boolean;
}

export type WebgpuLoad =
  { ok: true; version: string; adapter: WebgpuAdapter } | { ok: false; reason: string; hidden?: boolean };

interface DawnAdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

/** "NVIDIA H100 (nvidia hopper)", "llvmpipe: Mesa 25.0.7 (mesa software)". */
export function describeAdapter(a: WebgpuAdapter): string {
  const name = a.description || a.device || 'unnamed adapter';
  const kind = [a.vendor, a.architecture].filter(Boolean).join(' ');
  return kind ? `${name} (${kind})` : name;
}

/** Lavapipe and SwiftShader say so in isFallbackAdapter; older Dawn builds only in their names. */
export function isSoftwareAdapter(info: DawnAdapterInfo): boolean {
  if (info.isFallbackAdapter === true || info.architecture === 'software') return true;
  return /llvmpipe|lavapipe|swiftshader|microsoft basic render/i.test(`${info.description} ${info.device}`);
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0].trim();
}

function notInstalled(err: unknown, pkg: string): boolean {
  const code = (err as { code?: string }).code;
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && firstLine(err).includes(pkg);
}

/** Mesa's Vulkan drivers want a private runtime directory; a CLI run from cron or CI may have none. */
function ensureRuntimeDir(): void {
  if (process.env.XDG_RUNTIME_DIR) return;
  const dir = path.join(os.tmpdir(), `gradflow-runtime-${process.getuid?.() ?? 'user'}`);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  process.env.XDG_RUNTIME_DIR = dir;
}

let loading: Promise<WebgpuLoad> | null = null;

/** Registers (does not select) the webgpu backend; the adapter is looked for once per process. */
export function registerWebgpuBackend(): Promise<WebgpuLoad> {
  loading ??= load();
  return loading;
}

async function load(): Promise<WebgpuLoad> {
  if (process.env.GRADFLOW_NO_WEBGPU)
    return { ok: false, reason: 'hidden by GRADFLOW_NO_WEBGPU', hidden: true };
  // Plain string specifiers: both packages are optional, types and all.
  const dawnPkg: string = 'webgpu';
  const tfjsPkg: string = '@tensorflow/tfjs-backend-webgpu';
  let dawn: { create: (flags: string[]) => GpuLike; globals: Record<string, unknown> };
  let tfjsWebgpu: { WebGPUBackend: new (device: unknown, info: unknown) => tf.KernelBackend };
  try {
    // TF.js's package first: with no navigator.gpu yet, its import registers no factory of its own.
    tfjsWebgpu = await import(tfjsPkg);
    dawn = await import(dawnPkg);
  } catch (err) {
    for (const pkg of [tfjsPkg, dawnPkg])
      if (notInstalled(err, pkg)) return { ok: false, reason: `${pkg} is not installed`, hidden: true };
    return { ok: false, reason: `the WebGPU packages did not load: ${firstLine(err)}` };
  }
  ensureRuntimeDir();
  let gpu: GpuLike;
  let adapter: AdapterLike | null;
  try {
    gpu = dawn.create([]);
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (err) {
    return { ok: false, reason: `Dawn found no WebGPU adapter: ${firstLine(err)}`, hidden: true };
  }
  if (adapter == null) {
    return {
      ok: false,
      reason:
        'Dawn found no WebGPU adapter (Linux: a Vulkan driver and libvulkan1; Mesa must be 24 or newer for lavapipe)',
      hidden: true,
    };
  }
  const info = adapter.info as DawnAdapterInfo;
  const described: WebgpuAdapter = {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    software: isSoftwareAdapter(info),
  };
  let device: unknown;
  try {
    // The limits TF.js asks for in a browser: the adapter's own, so large activations fit one binding.
    const l = adapter.limits;
    // Timestamps let `gradflow bench --profile` time each kernel on the GPU; TF.js reads them only
    // while profiling.
    const requiredFeatures = adapter.features?.has('timestamp-query') ? ['timestamp-query'] : [];
    device = await adapter.requestDevice({
      requiredFeatures,
      requiredLimits: {
        maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
        maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
        maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
        maxBufferSize: l.maxBufferSize,
        maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
        maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
      },
    });
  } catch (err) {
    return { ok: false, reason: `${describeAdapter(described)} refused a device: ${firstLine(err)}` };
  }
  // WebGPUBackend reads the WebGPU globals (GPUBufferUsage, ...) and checks navigator.gpu, as in a browser.
  for (const [name, value] of Object.entries(dawn.globals)) {
    if (!(name in globalThis))
      Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  }
  const nav = (globalThis as { navigator?: object }).navigator;
  if (nav == null) Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true });
  else if (!('gpu' in nav)) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });

  if (tf.findBackendFactory(WEBGPU_BACKEND) != null) tf.removeBackend(WEBGPU_BACKEND);
  // Priority 0: registering never changes the default; the engine selects backends explicitly.
  tf.registerBackend(WEBGPU_BACKEND, () => new tfjsWebgpu.WebGPUBackend(device, adapter.info), 0);
  registerWebgpuKernels();
  return {
    ok: true,
    version: `${packageVersion(tfjsPkg)}, Dawn ${packageVersion(dawnPkg)}`,
    adapter: described,
  };
}

function packageVersion(pkg: string): string {
  try {
    const require = createRequire(import.meta.url);
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

interface AdapterLike {
  info: unknown;
  features?: { has(name: string): boolean };
  limits: Record<string, number>;
  requestDevice(descriptor: unknown): Promise<unknown>;
}

interface GpuLike {
  requestAdapter(options: unknown): Promise<AdapterLike | null>;
}
