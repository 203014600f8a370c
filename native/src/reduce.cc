// Reductions of the middle axis of an (outer, mid, inner) view: covers sums/means over leading axes
// (batch-norm statistics, bias gradients), trailing axes (rows) and middle axes (global pooling) without the
// transpose the cpu backend performs first. Sums accumulate in double.
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "common.h"

namespace gf {
namespace {

enum Op { kSum, kMean, kMax, kMin };

template <typename Combine>
void reduceMid(const float *x, float *out, int64_t outer, int64_t mid, int64_t inner, double init, Combine combine,
               double scale) {
  const int threads = omp_get_max_threads();
  if (outer >= threads || outer * mid * inner < (1 << 15)) {
    // Enough independent outputs: one pass per outer slice.
#pragma omp parallel for schedule(static) if (outer * mid * inner >= (1 << 15))
    for (int64_t o = 0; o < outer; ++o) {
      std::vector<double> acc(inner, init);
      const float *base = x + o * mid * inner;
      for (int64_t m = 0; m < mid; ++m)
        for (int64_t i = 0; i < inner; ++i) acc[i] = combine(acc[i], base[m * inner + i]);
      for (int64_t i = 0; i < inner; ++i) out[o * inner + i] = static_cast<float>(acc[i] * scale);
    }
    return;
  }
  // Few outputs: split the reduced axis across threads, then combine the partial results.
  for (int64_t o = 0; o < outer; ++o) {
    const float *base = x + o * mid * inner;
    std::vector<double> total(inner, init);
#pragma omp parallel
    {
      std::vector<double> acc(inner, init);
#pragma omp for schedule(static) nowait
      for (int64_t m = 0; m < mid; ++m)
        for (int64_t i = 0; i < inner; ++i) acc[i] = combine(acc[i], base[m * inner + i]);
#pragma omp critical
      for (int64_t i = 0; i < inner; ++i) total[i] = combine(total[i], acc[i]);
    }
    for (int64_t i = 0; i < inner; ++i) out[o * inner + i] = static_cast<float>(total[i] * scale);
  }
}

// reduce(op, x, out, [outer, mid, inner])
napi_value reduce(const Args &a) {
  int op = a.i32(0);
  auto p = a.ints(3);
  if (p.size() < 3) throw ArgError("reduce geometry needs 3 integers");
  int64_t outer = p[0], mid = p[1], inner = p[2];
  const float *x = a.f32(1, outer * mid * inner);
  float *out = a.f32(2, outer * inner);
  const double inf = std::numeric_limits<double>::infinity();
  switch (op) {
    case kSum:
    case kMean:
      reduceMid(x, out, outer, mid, inner, 0.0, [](double s, double v) { return s + v; },
                op == kMean ? 1.0 / static_cast<double>(mid) : 1.0);
      break;
    case kMax:
      reduceMid(x, out, outer, mid, inner, -inf,
                [](double s, double v) { return std::isnan(v) || v > s ? v : s; }, 1.0);
      break;
    case kMin:
      reduceMid(x, out, outer, mid, inner, inf, [](double s, double v) { return std::isnan(v) || v < s ? v : s; },
                1.0);
      break;
    default: throw ArgError("unknown reduce op " + std::to_string(op));
  }
  return nullptr;
}

Register r("reduce", reduce);
// The TF.js kernel each code implements.
const OpCodes kReduceCodes = {{"Sum", kSum}, {"Mean", kMean}, {"Max", kMax}, {"Min", kMin}};
RegisterOps t("reduceOps", kReduceCodes);

}  // namespace
}  // namespace gf
