// Slice and constant padding as one strided box copy: rows of the innermost axis are memcpy'd, rows run in
// parallel. The cpu backend computes a multi-index per element for these, which is slow on activations.
#include <omp.h>

#include <algorithm>
#include <cstring>

#include "common.h"

namespace gf {
namespace {

constexpr int kMaxRank = 8;

// copyBox(src, dst, [rank, srcShape..., srcBegin..., dstShape..., dstBegin..., size...], fill|null):
// dst[dstBegin + i] = src[srcBegin + i] for i in the box `size`; when fill is a number, the rest of dst is set to it.
napi_value copyBox(const Args &a) {
  auto p = a.ints(2);
  if (p.empty()) throw ArgError("copyBox geometry is empty");
  const int rank = static_cast<int>(p[0]);
  if (rank < 1 || rank > kMaxRank || static_cast<int>(p.size()) != 1 + 5 * rank)
    throw ArgError("copyBox geometry must be [rank, 5 x rank integers] with 1 <= rank <= 8");
  const int64_t *srcShape = &p[1], *srcBegin = &p[1 + rank], *dstShape = &p[1 + 2 * rank],
                *dstBegin = &p[1 + 3 * rank], *box = &p[1 + 4 * rank];
  int64_t srcSize = 1, dstSize = 1, rows = 1;
  for (int d = 0; d < rank; ++d) {
    if (srcBegin[d] < 0 || dstBegin[d] < 0 || box[d] < 0 || srcBegin[d] + box[d] > srcShape[d] ||
        dstBegin[d] + box[d] > dstShape[d])
      throw ArgError("copyBox box exceeds the source or destination");
    srcSize *= srcShape[d];
    dstSize *= dstShape[d];
    if (d < rank - 1) rows *= box[d];
  }
  const float *src = a.f32(0, srcSize);
  float *dst = a.f32(1, dstSize);
  if (!a.isNull(3)) {
    const float fill = static_cast<float>(a.num(3));
    std::fill(dst, dst + dstSize, fill);
  }
  int64_t srcStride[kMaxRank], dstStride[kMaxRank];
  srcStride[rank - 1] = dstStride[rank - 1] = 1;
  for (int d = rank - 2; d >= 0; --d) {
    srcStride[d] = srcStride[d + 1] * srcShape[d + 1];
    dstStride[d] = dstStride[d + 1] * dstShape[d + 1];
  }
  const int64_t inner = box[rank - 1];
  if (inner == 0 || rows == 0) return nullptr;
#pragma omp parallel for schedule(static) if (rows * inner > (1 << 15))
  for (int64_t r = 0; r < rows; ++r) {
    int64_t rest = r, s = srcBegin[rank - 1], t = dstBegin[rank - 1];
    for (int d = rank - 2; d >= 0; --d) {
      const int64_t i = rest % box[d];
      rest /= box[d];
      s += (srcBegin[d] + i) * srcStride[d];
      t += (dstBegin[d] + i) * dstStride[d];
    }
    std::memcpy(dst + t, src + s, inner * sizeof(float));
  }
  return nullptr;
}

Register r("copyBox", copyBox);

}  // namespace
}  // namespace gf
