// Batched matrix product C = op(A) op(B) (+bias, +ReLU) with batch broadcasting when one side has batch 1.
// Transposes are expressed as strides so no copy is made.
#include "common.h"

namespace gf {
namespace {

Cache<Bound> cache;

// matmul(a, b, bias|null, c, [batchA, batchB, M, K, N, transA, transB], relu)
napi_value matmul(const Args &args) {
  auto p = args.ints(4);
  if (p.size() < 7) throw ArgError("matmul geometry needs 7 integers");
  int64_t ba = p[0], bb = p[1], m = p[2], k = p[3], n = p[4];
  bool ta = p[5] != 0, tb = p[6] != 0;
  if (ba != bb && ba != 1 && bb != 1) throw ArgError("matmul batch sizes must match or be 1");
  int64_t bo = std::max(ba, bb);
  float *a = args.f32(0, ba * m * k), *b = args.f32(1, bb * k * n), *bias = args.f32OrNull(2, n),
        *c = args.f32(3, bo * m * n);
  bool relu = args.i32(5) != 0;
  auto key = withFlags(p, {bias != nullptr, relu});
  Bound *e = cache.find(key);
  if (!e) {
    dnnl::memory::desc aMd({ba, m, k}, dt::f32, ta ? dims{m * k, 1, m} : dims{m * k, k, 1});
    dnnl::memory::desc bMd({bb, k, n}, dt::f32, tb ? dims{k * n, 1, k} : dims{k * n, n, 1});
    dnnl::memory::desc cMd({bo, m, n}, dt::f32, dims{m * n, n, 1});
    dnnl::memory::desc biasMd({1, 1, n}, dt::f32, dims{n, n, 1});
    auto d = bias ? dnnl::matmul::desc(aMd, bMd, biasMd, cMd) : dnnl::matmul::desc(aMd, bMd, cMd);
    dnnl::matmul::primitive_desc pd(d, reluAttr(relu), engine());
    std::vector<int> bound{DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST};
    if (bias) bound.push_back(DNNL_ARG_BIAS);
    e = cache.put(key, std::make_unique<Bound>(pd, dnnl::matmul(pd), bound));
  }
  std::vector<std::pair<int, void *>> data{{DNNL_ARG_SRC, a}, {DNNL_ARG_WEIGHTS, b}, {DNNL_ARG_DST, c}};
  if (bias) data.emplace_back(DNNL_ARG_BIAS, bias);
  e->run(data);
  return nullptr;
}

Register r("matmul", matmul);

}  // namespace
}  // namespace gf
