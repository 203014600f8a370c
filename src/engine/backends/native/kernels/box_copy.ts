// Slice and PadV2 (constant) are one native strided box copy: its geometry, and the ranks it takes.
export const MAX_RANK = 8;

export function boxGeometry(
  srcShape: number[],
  srcBegin: number[],
  dstShape: number[],
  dstBegin: number[],
  box: number[],
) {
  return Int32Array.from([srcShape.length, ...srcShape, ...srcBegin, ...dstShape, ...dstBegin, ...box]);
}
