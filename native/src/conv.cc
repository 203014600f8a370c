// 2-D convolution in NHWC with HWIO filters (TF.js layouts): forward (+bias, +ReLU), data and filter gradients.
// Activations stay NHWC, the filter goes through oneDNN's preferred (blocked) layout: that is what selects the
// jit:avx2 kernels; plain HWIO would fall back to a gemm path 2-3x slower. Filter reorders are cheap and cached.
#include "common.h"

namespace gf {
namespace {

// Int32Array layout shared with src/engine/native/conv2d.ts.
struct Geometry {
  int64_t n, ih, iw, ic, oc, kh, kw, oh, ow, sh, sw, dh, dw, pt, pl, pb, pr;
  explicit Geometry(const std::vector<int64_t> &p) {
    if (p.size() < 17) throw ArgError("conv geometry needs 17 integers");
    n = p[0], ih = p[1], iw = p[2], ic = p[3], oc = p[4], kh = p[5], kw = p[6], oh = p[7], ow = p[8];
    sh = p[9], sw = p[10], dh = p[11], dw = p[12], pt = p[13], pl = p[14], pb = p[15], pr = p[16];
  }
  dnnl::memory::desc src(tag t = tag::nhwc) const { return {{n, ic, ih, iw}, dt::f32, t}; }
  dnnl::memory::desc dst(tag t = tag::nhwc) const { return {{n, oc, oh, ow}, dt::f32, t}; }
  dnnl::memory::desc weights(tag t) const { return {{oc, ic, kh, kw}, dt::f32, t}; }
  dims strides() const { return {sh, sw}; }
  dims dilates() const { return {dh - 1, dw - 1}; }  // oneDNN counts dilation from 0
  dims padL() const { return {pt, pl}; }
  dims padR() const { return {pb, pr}; }
  int64_t srcSize() const { return n * ih * iw * ic; }
  int64_t dstSize() const { return n * oh * ow * oc; }
  int64_t wSize() const { return kh * kw * ic * oc; }
};

dnnl::convolution_forward::primitive_desc forwardPd(const Geometry &g, bool bias, bool relu) {
  dnnl::convolution_forward::desc d(dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct, g.src(),
                                    g.weights(tag::any),
                                    bias ? dnnl::memory::desc({g.oc}, dt::f32, tag::x) : dnnl::memory::desc(),
                                    g.dst(), g.strides(), g.dilates(), g.padL(), g.padR());
  dnnl::primitive_attr attr;
  if (relu) {
    dnnl::post_ops ops;
    ops.append_eltwise(1.f, dnnl::algorithm::eltwise_relu, 0.f, 0.f);
    attr.set_post_ops(ops);
  }
  return dnnl::convolution_forward::primitive_desc(d, attr, engine());
}

// A user-layout memory and, when the primitive wants another layout, its reordered twin.
struct Reordered {
  dnnl::memory user, inner;
  dnnl::reorder toInner, toUser;
  bool needed = false;
  Reordered(const dnnl::memory::desc &userMd, const dnnl::memory::desc &innerMd) : user(userMemory(userMd)) {
    needed = userMd != innerMd;
    if (needed) {
      inner = dnnl::memory(innerMd, engine());
      toInner = dnnl::reorder(user, inner);
      toUser = dnnl::reorder(inner, user);
    } else {
      inner = user;
    }
  }
  void pull(float *data) {  // user -> inner
    user.set_data_handle(data);
    if (needed) toInner.execute(stream(), user, inner);
  }
  void bind(float *data) { user.set_data_handle(data); }
  void push() {  // inner -> user
    if (needed) toUser.execute(stream(), inner, user);
  }
};

struct Forward {
  dnnl::convolution_forward prim;
  dnnl::memory src, bias, dst;
  std::unique_ptr<Reordered> w;
};
struct BackwardData {
  dnnl::convolution_backward_data prim;
  dnnl::memory diffDst, diffSrc;
  std::unique_ptr<Reordered> w;
};
struct BackwardWeights {
  dnnl::convolution_backward_weights prim;
  dnnl::memory src, diffDst;
  std::unique_ptr<Reordered> diffW;
};

Cache<Forward> forwards;
Cache<BackwardData> backwardData;
Cache<BackwardWeights> backwardWeights;

// conv2d(x, filter, bias|null, y, geometry, relu)
napi_value conv2d(const Args &a) {
  auto p = a.ints(4);
  Geometry g(p);
  float *x = a.f32(0, g.srcSize()), *w = a.f32(1, g.wSize()), *bias = a.f32OrNull(2, g.oc), *y = a.f32(3, g.dstSize());
  bool relu = a.i32(5) != 0;
  auto key = p;
  key.push_back(bias != nullptr);
  key.push_back(relu);
  Forward *f = forwards.find(key);
  if (!f) {
    auto pd = forwardPd(g, bias != nullptr, relu);
    auto e = std::make_unique<Forward>();
    e->prim = dnnl::convolution_forward(pd);
    e->src = userMemory(pd.src_desc());
    e->dst = userMemory(pd.dst_desc());
    if (bias) e->bias = userMemory(pd.bias_desc());
    e->w = std::make_unique<Reordered>(g.weights(tag::hwio), pd.weights_desc());
    f = forwards.put(key, std::move(e));
  }
  f->w->pull(w);
  f->src.set_data_handle(x);
  f->dst.set_data_handle(y);
  std::unordered_map<int, dnnl::memory> args{
      {DNNL_ARG_SRC, f->src}, {DNNL_ARG_WEIGHTS, f->w->inner}, {DNNL_ARG_DST, f->dst}};
  if (bias) {
    f->bias.set_data_handle(bias);
    args[DNNL_ARG_BIAS] = f->bias;
  }
  f->prim.execute(stream(), args);
  stream().wait();
  return nullptr;
}

// conv2dBackwardData(dy, filter, dx, geometry)
napi_value conv2dBackwardData(const Args &a) {
  auto p = a.ints(3);
  Geometry g(p);
  float *dy = a.f32(0, g.dstSize()), *w = a.f32(1, g.wSize()), *dx = a.f32(2, g.srcSize());
  BackwardData *b = backwardData.find(p);
  if (!b) {
    auto hint = forwardPd(g, false, false);
    dnnl::convolution_backward_data::desc d(dnnl::algorithm::convolution_direct, g.src(), g.weights(tag::any), g.dst(),
                                            g.strides(), g.dilates(), g.padL(), g.padR());
    dnnl::convolution_backward_data::primitive_desc pd(d, engine(), hint);
    auto e = std::make_unique<BackwardData>();
    e->prim = dnnl::convolution_backward_data(pd);
    e->diffDst = userMemory(pd.diff_dst_desc());
    e->diffSrc = userMemory(pd.diff_src_desc());
    e->w = std::make_unique<Reordered>(g.weights(tag::hwio), pd.weights_desc());
    b = backwardData.put(p, std::move(e));
  }
  b->w->pull(w);
  b->diffDst.set_data_handle(dy);
  b->diffSrc.set_data_handle(dx);
  b->prim.execute(stream(), {{DNNL_ARG_DIFF_DST, b->diffDst}, {DNNL_ARG_WEIGHTS, b->w->inner},
                             {DNNL_ARG_DIFF_SRC, b->diffSrc}});
  stream().wait();
  return nullptr;
}

// conv2dBackwardFilter(x, dy, dw, geometry)
napi_value conv2dBackwardFilter(const Args &a) {
  auto p = a.ints(3);
  Geometry g(p);
  float *x = a.f32(0, g.srcSize()), *dy = a.f32(1, g.dstSize()), *dw = a.f32(2, g.wSize());
  BackwardWeights *b = backwardWeights.find(p);
  if (!b) {
    auto hint = forwardPd(g, false, false);
    dnnl::convolution_backward_weights::desc d(dnnl::algorithm::convolution_direct, g.src(), g.weights(tag::any),
                                               g.dst(), g.strides(), g.dilates(), g.padL(), g.padR());
    dnnl::convolution_backward_weights::primitive_desc pd(d, engine(), hint);
    auto e = std::make_unique<BackwardWeights>();
    e->prim = dnnl::convolution_backward_weights(pd);
    e->src = userMemory(pd.src_desc());
    e->diffDst = userMemory(pd.diff_dst_desc());
    e->diffW = std::make_unique<Reordered>(g.weights(tag::hwio), pd.diff_weights_desc());
    b = backwardWeights.put(p, std::move(e));
  }
  b->src.set_data_handle(x);
  b->diffDst.set_data_handle(dy);
  b->diffW->bind(dw);
  b->prim.execute(stream(), {{DNNL_ARG_SRC, b->src}, {DNNL_ARG_DIFF_DST, b->diffDst},
                             {DNNL_ARG_DIFF_WEIGHTS, b->diffW->inner}});
  b->diffW->push();
  stream().wait();
  return nullptr;
}

void clear() {
  forwards.clear();
  backwardData.clear();
  backwardWeights.clear();
}

Register r1("conv2d", conv2d), r2("conv2dBackwardData", conv2dBackwardData),
    r3("conv2dBackwardFilter", conv2dBackwardFilter);
struct Clearer {
  Clearer() { addCacheClearer(clear); }
} clearer;

}  // namespace
}  // namespace gf
