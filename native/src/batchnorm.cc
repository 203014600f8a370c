// Batch normalization over every axis but the last (channels), forward and backward, so that the whole
// gradient is one native call instead of a chain of broadcasting tensor ops; optionally fused with the
// ReLU after it (one pass over memory each way, and no stored pre-activation: a bit mask instead).
// Variance is the biased (population) variance, as tf.moments computes it.
#include "common.h"

namespace gf {
namespace {

// The tensor is viewed as NHWC {n, c, hw, 1}: rows split in two so oneDNN can parallelise over both.
dnnl::memory::desc dataMd(int64_t n, int64_t hw, int64_t c) { return {{n, c, hw, 1}, dt::f32, tag::nhwc}; }
const auto scaleShift = dnnl::normalization_flags::use_scale | dnnl::normalization_flags::use_shift;

struct Forward {
  dnnl::batch_normalization_forward prim;
  dnnl::memory src, dst, scale, shift, mean, variance;
  size_t workspaceBytes = 0;  // the ReLU mask of a fused batch norm + ReLU (0 otherwise)
  dnnl::memory workspace;
};
struct Backward {
  dnnl::batch_normalization_backward prim;
  dnnl::memory src, diffDst, scale, shift, mean, variance, diffSrc, diffScale, diffShift, workspace;
};
Cache<Forward> forwards;
Cache<Backward> backwards;

dnnl::normalization_flags flagsOf(bool relu) {
  return relu ? scaleShift | dnnl::normalization_flags::fuse_norm_relu : scaleShift;
}

dnnl::batch_normalization_forward::primitive_desc forwardPd(int64_t n, int64_t hw, int64_t c, bool training,
                                                            float eps, bool relu) {
  auto flags = training ? flagsOf(relu) : scaleShift | dnnl::normalization_flags::use_global_stats;
  dnnl::batch_normalization_forward::desc d(
      training ? dnnl::prop_kind::forward_training : dnnl::prop_kind::forward_inference, dataMd(n, hw, c), eps, flags);
  return dnnl::batch_normalization_forward::primitive_desc(d, engine());
}

int64_t epsKey(float eps) { return static_cast<int64_t>(eps * 1e12); }

// The forward primitive of a geometry [n, hw, c, training, relu], made once.
Forward *forwardFor(const std::vector<int64_t> &p, float eps) {
  if (p.size() < 4) throw ArgError("batchNorm geometry needs at least 4 integers");
  bool training = p[3] != 0, relu = p.size() > 4 && p[4] != 0;
  if (relu && !training) throw ArgError("batchNorm: a fused ReLU needs training mode");
  std::vector<int64_t> key{p[0], p[1], p[2], training, relu, epsKey(eps)};
  Forward *f = forwards.find(key);
  if (f) return f;
  auto pd = forwardPd(p[0], p[1], p[2], training, eps, relu);
  auto e = std::make_unique<Forward>();
  e->prim = dnnl::batch_normalization_forward(pd);
  e->src = userMemory(pd.src_desc());
  e->dst = userMemory(pd.dst_desc());
  e->scale = userMemory(pd.weights_desc());
  e->shift = userMemory(pd.weights_desc());
  e->mean = userMemory(pd.mean_desc());
  e->variance = userMemory(pd.variance_desc());
  if (relu) {
    e->workspaceBytes = pd.workspace_desc().get_size();
    e->workspace = userMemory(pd.workspace_desc());
  }
  return forwards.put(key, std::move(e));
}

// batchNormWorkspaceSize([n, hw, c, 1, 1], eps): float32 elements that hold a fused ReLU's mask.
napi_value batchNormWorkspaceSize(const Args &a) {
  Forward *f = forwardFor(a.ints(0), static_cast<float>(a.num(1)));
  napi_value out;
  napi_create_int64(a.env, static_cast<int64_t>((f->workspaceBytes + 3) / 4), &out);
  return out;
}

// batchNorm(x, scale, offset, y, mean, variance, [n, hw, c, training, relu?], eps, workspace?)
// training: mean and variance are outputs (batch statistics); otherwise inputs (running statistics).
// relu: y = max(0, batch norm), and the workspace receives the mask its gradient needs.
napi_value batchNorm(const Args &a) {
  auto p = a.ints(6);
  float eps = static_cast<float>(a.num(7));
  Forward *f = forwardFor(p, eps);
  int64_t n = p[0], hw = p[1], c = p[2];
  int64_t size = n * hw * c;
  float *x = a.f32(0, size), *scale = a.f32(1, c), *offset = a.f32(2, c), *y = a.f32(3, size), *mean = a.f32(4, c),
        *variance = a.f32(5, c);
  f->src.set_data_handle(x);
  f->dst.set_data_handle(y);
  f->scale.set_data_handle(scale);
  f->shift.set_data_handle(offset);
  f->mean.set_data_handle(mean);
  f->variance.set_data_handle(variance);
  std::unordered_map<int, dnnl::memory> args{{DNNL_ARG_SRC, f->src},   {DNNL_ARG_DST, f->dst},
                                             {DNNL_ARG_SCALE, f->scale}, {DNNL_ARG_SHIFT, f->shift},
                                             {DNNL_ARG_MEAN, f->mean},   {DNNL_ARG_VARIANCE, f->variance}};
  if (f->workspaceBytes > 0) {
    f->workspace.set_data_handle(a.f32(8, static_cast<int64_t>((f->workspaceBytes + 3) / 4)));
    args[DNNL_ARG_WORKSPACE] = f->workspace;
  }
  f->prim.execute(stream(), args);
  stream().wait();
  return nullptr;
}

// batchNormBackward(dy, x, scale, mean, variance, dx, dscale, doffset, [n, hw, c, relu?], eps, workspace?)
// The gradient of training-mode batch norm (batch statistics depend on x); with relu, of the fused
// batch norm + ReLU, given the forward pass's workspace.
napi_value batchNormBackward(const Args &a) {
  auto p = a.ints(8);
  if (p.size() < 3) throw ArgError("batchNormBackward geometry needs 3 integers");
  int64_t n = p[0], hw = p[1], c = p[2];
  bool relu = p.size() > 3 && p[3] != 0;
  float eps = static_cast<float>(a.num(9));
  int64_t size = n * hw * c;
  float *dy = a.f32(0, size), *x = a.f32(1, size), *scale = a.f32(2, c), *mean = a.f32(3, c), *variance = a.f32(4, c),
        *dx = a.f32(5, size), *dscale = a.f32(6, c), *doffset = a.f32(7, c);
  std::vector<int64_t> key{n, hw, c, relu, epsKey(eps)};
  Backward *b = backwards.find(key);
  if (!b) {
    auto hint = forwardPd(n, hw, c, true, eps, relu);
    dnnl::batch_normalization_backward::desc d(dnnl::prop_kind::backward, dataMd(n, hw, c), dataMd(n, hw, c), eps,
                                               flagsOf(relu));
    dnnl::batch_normalization_backward::primitive_desc pd(d, engine(), hint);
    auto e = std::make_unique<Backward>();
    e->prim = dnnl::batch_normalization_backward(pd);
    e->src = userMemory(pd.src_desc());
    e->diffDst = userMemory(pd.diff_dst_desc());
    e->diffSrc = userMemory(pd.diff_src_desc());
    e->scale = userMemory(pd.weights_desc());
    // oneDNN 2.6 checks that a shift is bound when use_shift is set, though the gradient never reads it.
    e->shift = userMemory(pd.weights_desc());
    e->diffScale = userMemory(pd.diff_weights_desc());
    e->diffShift = userMemory(pd.diff_weights_desc());
    e->mean = userMemory(pd.mean_desc());
    e->variance = userMemory(pd.variance_desc());
    if (relu) e->workspace = userMemory(pd.workspace_desc());
    b = backwards.put(key, std::move(e));
  }
  b->src.set_data_handle(x);
  b->diffDst.set_data_handle(dy);
  b->diffSrc.set_data_handle(dx);
  b->scale.set_data_handle(scale);
  b->shift.set_data_handle(scale);
  b->diffScale.set_data_handle(dscale);
  b->diffShift.set_data_handle(doffset);
  b->mean.set_data_handle(mean);
  b->variance.set_data_handle(variance);
  std::unordered_map<int, dnnl::memory> args{
      {DNNL_ARG_SRC, b->src},           {DNNL_ARG_DIFF_DST, b->diffDst},     {DNNL_ARG_SCALE, b->scale},
      {DNNL_ARG_SHIFT, b->shift},       {DNNL_ARG_MEAN, b->mean},            {DNNL_ARG_VARIANCE, b->variance},
      {DNNL_ARG_DIFF_SRC, b->diffSrc}, {DNNL_ARG_DIFF_SCALE, b->diffScale}, {DNNL_ARG_DIFF_SHIFT, b->diffShift}};
  if (relu) {
    size_t bytes = b->workspace.get_desc().get_size();
    b->workspace.set_data_handle(a.f32(10, static_cast<int64_t>((bytes + 3) / 4)));
    args[DNNL_ARG_WORKSPACE] = b->workspace;
  }
  b->prim.execute(stream(), args);
  stream().wait();
  return nullptr;
}

Register r1("batchNorm", batchNorm), r2("batchNormBackward", batchNormBackward),
    r3("batchNormWorkspaceSize", batchNormWorkspaceSize);
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
