// 2-D max / average pooling in NHWC and their gradients. TF's average pooling divides by the number of
// in-bounds pixels (exclude padding). Max-pool backward needs the forward's argmax workspace, so the
// gradient re-runs the (cheap) forward in training mode into a cached scratch buffer.
#include "common.h"

namespace gf {
namespace {

// Int32Array layout shared with src/engine/native/pool.ts.
struct Geometry {
  int64_t n, ih, iw, c, oh, ow, kh, kw, sh, sw, pt, pl, pb, pr, isMax;
  explicit Geometry(const std::vector<int64_t> &p) {
    if (p.size() < 15) throw ArgError("pool geometry needs 15 integers");
    n = p[0], ih = p[1], iw = p[2], c = p[3], oh = p[4], ow = p[5], kh = p[6], kw = p[7];
    sh = p[8], sw = p[9], pt = p[10], pl = p[11], pb = p[12], pr = p[13], isMax = p[14];
  }
  dnnl::memory::desc src() const { return {{n, c, ih, iw}, dt::f32, tag::nhwc}; }
  dnnl::memory::desc dst() const { return {{n, c, oh, ow}, dt::f32, tag::nhwc}; }
  dnnl::algorithm alg() const {
    return isMax ? dnnl::algorithm::pooling_max : dnnl::algorithm::pooling_avg_exclude_padding;
  }
  dnnl::pooling_forward::primitive_desc forwardPd(dnnl::prop_kind kind) const {
    dnnl::pooling_forward::desc d(kind, alg(), src(), dst(), {sh, sw}, {kh, kw}, {pt, pl}, {pb, pr});
    return dnnl::pooling_forward::primitive_desc(d, engine());
  }
  int64_t srcSize() const { return n * ih * iw * c; }
  int64_t dstSize() const { return n * oh * ow * c; }
};

// Max-pool backward: a training-mode forward that writes the argmax workspace, then the gradient.
struct Backward {
  std::unique_ptr<Bound> forward, backward;
};
Cache<Bound> forwards;
Cache<Backward> backwards;

// pool(x, y, geometry)
napi_value pool(const Args &a) {
  auto p = a.ints(2);
  Geometry g(p);
  Bound *f = forwards.find(p);
  if (!f) {
    auto pd = g.forwardPd(dnnl::prop_kind::forward_inference);
    f = forwards.put(p, std::make_unique<Bound>(pd, dnnl::pooling_forward(pd), std::vector<int>{DNNL_ARG_SRC, DNNL_ARG_DST}));
  }
  f->run({{DNNL_ARG_SRC, a.f32(0, g.srcSize())}, {DNNL_ARG_DST, a.f32(1, g.dstSize())}});
  return nullptr;
}

// poolBackward(dy, x|null, dx, geometry): x is needed only for max pooling.
napi_value poolBackward(const Args &a) {
  auto p = a.ints(3);
  Geometry g(p);
  float *dy = a.f32(0, g.dstSize()), *x = g.isMax ? a.f32(1, g.srcSize()) : nullptr, *dx = a.f32(2, g.srcSize());
  Backward *b = backwards.find(p);
  if (!b) {
    auto hint = g.forwardPd(dnnl::prop_kind::forward_training);
    dnnl::pooling_backward::desc d(g.alg(), g.src(), g.dst(), {g.sh, g.sw}, {g.kh, g.kw}, {g.pt, g.pl},
                                   {g.pb, g.pr});
    dnnl::pooling_backward::primitive_desc pd(d, engine(), hint);
    auto e = std::make_unique<Backward>();
    e->backward =
        std::make_unique<Bound>(pd, dnnl::pooling_backward(pd), std::vector<int>{DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_SRC});
    if (g.isMax) {
      e->forward = std::make_unique<Bound>(hint, dnnl::pooling_forward(hint), std::vector<int>{DNNL_ARG_SRC});
      // The scratch output and the workspace are the library's own, shared by both primitives.
      e->forward->memories[DNNL_ARG_DST] = dnnl::memory(hint.dst_desc(), engine());
      auto workspace = dnnl::memory(hint.workspace_desc(), engine());
      e->forward->memories[DNNL_ARG_WORKSPACE] = workspace;
      e->backward->memories[DNNL_ARG_WORKSPACE] = workspace;
    }
    b = backwards.put(p, std::move(e));
  }
  if (g.isMax) b->forward->run({{DNNL_ARG_SRC, x}});
  b->backward->run({{DNNL_ARG_DIFF_DST, dy}, {DNNL_ARG_DIFF_SRC, dx}});
  return nullptr;
}

Register r1("pool", pool), r2("poolBackward", poolBackward);

}  // namespace
}  // namespace gf
