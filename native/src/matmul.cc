// Batched matrix product C = op(A) op(B) (+bias, +ReLU) with batch broadcasting when one side has batch 1.
// Transposes are expressed as strides so no copy is made.
#include "common.h"

namespace gf {
namespace {

struct MatMul {
  dnnl::matmul prim;
  dnnl::memory a, b, c, bias;
};
Cache<MatMul> cache;

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
  auto key = p;
  key.push_back(bias != nullptr);
  key.push_back(relu);
  MatMul *e = cache.find(key);
  if (!e) {
    dnnl::memory::desc aMd({ba, m, k}, dt::f32, ta ? dims{m * k, 1, m} : dims{m * k, k, 1});
    dnnl::memory::desc bMd({bb, k, n}, dt::f32, tb ? dims{k * n, 1, k} : dims{k * n, n, 1});
    dnnl::memory::desc cMd({bo, m, n}, dt::f32, dims{m * n, n, 1});
    dnnl::memory::desc biasMd({1, 1, n}, dt::f32, dims{n, n, 1});
    auto d = bias ? dnnl::matmul::desc(aMd, bMd, biasMd, cMd) : dnnl::matmul::desc(aMd, bMd, cMd);
    dnnl::primitive_attr attr;
    if (relu) {
      dnnl::post_ops ops;
      ops.append_eltwise(1.f, dnnl::algorithm::eltwise_relu, 0.f, 0.f);
      attr.set_post_ops(ops);
    }
    dnnl::matmul::primitive_desc pd(d, attr, engine());
    auto fresh = std::make_unique<MatMul>();
    fresh->prim = dnnl::matmul(pd);
    fresh->a = userMemory(aMd);
    fresh->b = userMemory(bMd);
    fresh->c = userMemory(cMd);
    if (bias) fresh->bias = userMemory(biasMd);
    e = cache.put(key, std::move(fresh));
  }
  e->a.set_data_handle(a);
  e->b.set_data_handle(b);
  e->c.set_data_handle(c);
  std::unordered_map<int, dnnl::memory> m_args{{DNNL_ARG_SRC, e->a}, {DNNL_ARG_WEIGHTS, e->b}, {DNNL_ARG_DST, e->c}};
  if (bias) {
    e->bias.set_data_handle(bias);
    m_args[DNNL_ARG_BIAS] = e->bias;
  }
  e->prim.execute(stream(), m_args);
  stream().wait();
  return nullptr;
}

Register r("matmul", matmul);
struct Clearer {
  Clearer() {
    addCacheClearer([] { cache.clear(); });
  }
} clearer;

}  // namespace
}  // namespace gf
