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
  return dnnl::convolution_forward::primitive_desc(d, reluAttr(relu), engine());
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

// A convolution primitive whose weights (or weight gradient, `weightArg`) live in oneDNN's layout.
struct Conv : Bound {
  std::unique_ptr<Reordered> w;
  Conv(const dnnl::primitive_desc_base &pd, dnnl::primitive p, const std::vector<int> &args, const Geometry &g,
       int weightArg)
      : Bound(pd, p, args),
        w(std::make_unique<Reordered>(g.weights(tag::hwio), pd.query_md(dnnl::query::exec_arg_md, weightArg))) {
    memories[weightArg] = w->inner;
  }
};

Cache<Conv> forwards, backwardData, backwardWeights;

// conv2d(x, filter, bias|null, y, geometry, relu)
napi_value conv2d(const Args &a) {
  auto p = a.ints(4);
  Geometry g(p);
  float *x = a.f32(0, g.srcSize()), *w = a.f32(1, g.wSize()), *bias = a.f32OrNull(2, g.oc), *y = a.f32(3, g.dstSize());
  bool relu = a.i32(5) != 0;
  auto key = withFlags(p, {bias != nullptr, relu});
  Conv *f = forwards.find(key);
  if (!f) {
    auto pd = forwardPd(g, bias != nullptr, relu);
    std::vector<int> args{DNNL_ARG_SRC, DNNL_ARG_DST};
    if (bias) args.push_back(DNNL_ARG_BIAS);
    f = forwards.put(key, std::make_unique<Conv>(pd, dnnl::convolution_forward(pd), args, g, DNNL_ARG_WEIGHTS));
  }
  f->w->pull(w);
  std::vector<std::pair<int, void *>> data{{DNNL_ARG_SRC, x}, {DNNL_ARG_DST, y}};
  if (bias) data.emplace_back(DNNL_ARG_BIAS, bias);
  f->run(data);
  return nullptr;
}

// A backward primitive of the geometry p (Prim: convolution_backward_data or _weights), made once.
template <typename Prim>
Conv *backwardFor(Cache<Conv> &cache, const std::vector<int64_t> &p, const Geometry &g, const std::vector<int> &args,
                  int weightArg) {
  if (Conv *c = cache.find(p)) return c;
  typename Prim::desc d(dnnl::algorithm::convolution_direct, g.src(), g.weights(tag::any), g.dst(), g.strides(),
                        g.dilates(), g.padL(), g.padR());
  typename Prim::primitive_desc pd(d, engine(), forwardPd(g, false, false));
  return cache.put(p, std::make_unique<Conv>(pd, Prim(pd), args, g, weightArg));
}

// conv2dBackwardData(dy, filter, dx, geometry)
napi_value conv2dBackwardData(const Args &a) {
  auto p = a.ints(3);
  Geometry g(p);
  Conv *b = backwardFor<dnnl::convolution_backward_data>(backwardData, p, g, {DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_SRC},
                                                         DNNL_ARG_WEIGHTS);
  b->w->pull(a.f32(1, g.wSize()));
  b->run({{DNNL_ARG_DIFF_DST, a.f32(0, g.dstSize())}, {DNNL_ARG_DIFF_SRC, a.f32(2, g.srcSize())}});
  return nullptr;
}

// conv2dBackwardFilter(x, dy, dw, geometry)
napi_value conv2dBackwardFilter(const Args &a) {
  auto p = a.ints(3);
  Geometry g(p);
  Conv *b = backwardFor<dnnl::convolution_backward_weights>(backwardWeights, p, g, {DNNL_ARG_SRC, DNNL_ARG_DIFF_DST},
                                                            DNNL_ARG_DIFF_WEIGHTS);
  b->w->bind(a.f32(2, g.wSize()));
  b->run({{DNNL_ARG_SRC, a.f32(0, g.srcSize())}, {DNNL_ARG_DIFF_DST, a.f32(1, g.dstSize())}});
  b->w->push();
  stream().wait();
  return nullptr;
}

Register r1("conv2d", conv2d), r2("conv2dBackwardData", conv2dBackwardData),
    r3("conv2dBackwardFilter", conv2dBackwardFilter);

}  // namespace
}  // namespace gf
