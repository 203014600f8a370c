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

struct Forward {
  dnnl::pooling_forward prim;
  dnnl::memory src, dst;
};
struct Backward {
  dnnl::pooling_forward forward;  // training-mode forward producing the max-pool workspace
  dnnl::pooling_backward prim;
  dnnl::memory src, scratchDst, workspace, diffDst, diffSrc;
};
Cache<Forward> forwards;
Cache<Backward> backwards;

// pool(x, y, geometry)
napi_value pool(const Args &a) {
  auto p = a.ints(2);
  Geometry g(p);
  float *x = a.f32(0, g.srcSize()), *y = a.f32(1, g.dstSize());
  Forward *f = forwards.find(p);
  if (!f) {
    auto pd = g.forwardPd(dnnl::prop_kind::forward_inference);
    auto e = std::make_unique<Forward>();
    e->prim = dnnl::pooling_forward(pd);
    e->src = userMemory(pd.src_desc());
    e->dst = userMemory(pd.dst_desc());
    f = forwards.put(p, std::move(e));
  }
  f->src.set_data_handle(x);
  f->dst.set_data_handle(y);
  f->prim.execute(stream(), {{DNNL_ARG_SRC, f->src}, {DNNL_ARG_DST, f->dst}});
  stream().wait();
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
    e->prim = dnnl::pooling_backward(pd);
    e->diffDst = userMemory(pd.diff_dst_desc());
    e->diffSrc = userMemory(pd.diff_src_desc());
    if (g.isMax) {
      e->forward = dnnl::pooling_forward(hint);
      e->src = userMemory(hint.src_desc());
      e->scratchDst = dnnl::memory(hint.dst_desc(), engine());
      e->workspace = dnnl::memory(hint.workspace_desc(), engine());
    }
    b = backwards.put(p, std::move(e));
  }
  if (g.isMax) {
    b->src.set_data_handle(x);
    b->forward.execute(stream(),
                       {{DNNL_ARG_SRC, b->src}, {DNNL_ARG_DST, b->scratchDst}, {DNNL_ARG_WORKSPACE, b->workspace}});
  }
  b->diffDst.set_data_handle(dy);
  b->diffSrc.set_data_handle(dx);
  std::unordered_map<int, dnnl::memory> args{{DNNL_ARG_DIFF_DST, b->diffDst}, {DNNL_ARG_DIFF_SRC, b->diffSrc}};
  if (g.isMax) args[DNNL_ARG_WORKSPACE] = b->workspace;
  b->prim.execute(stream(), args);
  stream().wait();
  return nullptr;
}

Register r1("pool", pool), r2("poolBackward", poolBackward);
struct Clearer {
  Clearer() {
    addCacheClearer([] {
      forwards.clear();
      backwards.clear();
    });
  }
} clearer;

}  // namespace
}  // namespace gf
