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

// The ReLU mask of a fused batch norm + ReLU travels in the workspace argument (absent otherwise).
struct Forward : Bound {
  using Bound::Bound;
  size_t workspaceBytes = 0;
};
Cache<Forward> forwards;
Cache<Bound> backwards;

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
int64_t floatsFor(size_t bytes) { return static_cast<int64_t>((bytes + 3) / 4); }

// The forward primitive of a geometry [n, hw, c, training, relu?], made once.
Forward *forwardFor(const std::vector<int64_t> &p, float eps) {
  if (p.size() < 4) throw ArgError("batchNorm geometry needs at least 4 integers");
  bool training = p[3] != 0, relu = p.size() > 4 && p[4] != 0;
  if (relu && !training) throw ArgError("batchNorm: a fused ReLU needs training mode");
  std::vector<int64_t> key{p[0], p[1], p[2], training, relu, epsKey(eps)};
  if (Forward *f = forwards.find(key)) return f;
  auto pd = forwardPd(p[0], p[1], p[2], training, eps, relu);
  std::vector<int> args{DNNL_ARG_SRC,  DNNL_ARG_DST,      DNNL_ARG_SCALE,
                                  DNNL_ARG_SHIFT, DNNL_ARG_MEAN, DNNL_ARG_VARIANCE};
  auto e = std::make_unique<Forward>(pd, dnnl::batch_normalization_forward(pd), args);
  if (relu) {
    e->workspaceBytes = pd.workspace_desc().get_size();
    e->memories[DNNL_ARG_WORKSPACE] = userMemory(pd.workspace_desc());
  }
  return forwards.put(key, std::move(e));
}

// batchNormWorkspaceSize([n, hw, c, 1, 1], eps): float32 elements that hold a fused ReLU's mask.
napi_value batchNormWorkspaceSize(const Args &a) {
  Forward *f = forwardFor(a.ints(0), static_cast<float>(a.num(1)));
  napi_value out;
  napi_create_int64(a.env, floatsFor(f->workspaceBytes), &out);
  return out;
}

// batchNorm(x, scale, offset, y, mean, variance, [n, hw, c, training, relu?], eps, workspace?)
// training: mean and variance are outputs (batch statistics); otherwise inputs (running statistics).
// relu: y = max(0, batch norm), and the workspace receives the mask its gradient needs.
napi_value batchNorm(const Args &a) {
  auto p = a.ints(6);
  Forward *f = forwardFor(p, static_cast<float>(a.num(7)));
  int64_t size = p[0] * p[1] * p[2], c = p[2];
  if (f->workspaceBytes > 0) f->memories.at(DNNL_ARG_WORKSPACE).set_data_handle(a.f32(8, floatsFor(f->workspaceBytes)));
  f->run({{DNNL_ARG_SRC, a.f32(0, size)},
          {DNNL_ARG_SCALE, a.f32(1, c)},
          {DNNL_ARG_SHIFT, a.f32(2, c)},
          {DNNL_ARG_DST, a.f32(3, size)},
          {DNNL_ARG_MEAN, a.f32(4, c)},
          {DNNL_ARG_VARIANCE, a.f32(5, c)}});
  return nullptr;
}

// batchNormBackward(dy, x, scale, mean, variance, dx, dscale, doffset, [n, hw, c, relu?], eps, workspace?)
// The gradient of training-mode batch norm (batch statistics depend on x); with relu, of the fused
// batch norm + ReLU, given the forward pass's workspace.
napi_value batchNormBackward(const Args &a) {
  auto p = a.ints(8);
  if (p.size() < 3) throw ArgError("batchNormBackward geometry needs 3 integers");
  int64_t n = p[0], hw = p[1], c = p[2], size = n * hw * c;
  bool relu = p.size() > 3 && p[3] != 0;
  float eps = static_cast<float>(a.num(9));
  std::vector<int64_t> key{n, hw, c, relu, epsKey(eps)};
  Bound *b = backwards.find(key);
  if (!b) {
    auto hint = forwardPd(n, hw, c, true, eps, relu);
    dnnl::batch_normalization_backward::desc d(dnnl::prop_kind::backward, dataMd(n, hw, c), dataMd(n, hw, c), eps,
                                               flagsOf(relu));
    dnnl::batch_normalization_backward::primitive_desc pd(d, engine(), hint);
    // oneDNN 2.6 checks that a shift is bound when use_shift is set, though the gradient never reads it.
    std::vector<int> args{DNNL_ARG_SRC,  DNNL_ARG_DIFF_DST, DNNL_ARG_SCALE,      DNNL_ARG_SHIFT,
                                    DNNL_ARG_MEAN, DNNL_ARG_VARIANCE, DNNL_ARG_DIFF_SRC, DNNL_ARG_DIFF_SCALE,
                                    DNNL_ARG_DIFF_SHIFT};
    b = backwards.put(key, std::make_unique<Bound>(pd, dnnl::batch_normalization_backward(pd), args));
    if (relu) b->memories[DNNL_ARG_WORKSPACE] = userMemory(pd.workspace_desc());
  }
  if (relu) {
    auto &workspace = b->memories.at(DNNL_ARG_WORKSPACE);
    workspace.set_data_handle(a.f32(10, floatsFor(workspace.get_desc().get_size())));
  }
  float *scale = a.f32(2, c);
  b->run({{DNNL_ARG_DIFF_DST, a.f32(0, size)},
          {DNNL_ARG_SRC, a.f32(1, size)},
          {DNNL_ARG_SCALE, scale},
          {DNNL_ARG_SHIFT, scale},
          {DNNL_ARG_MEAN, a.f32(3, c)},
          {DNNL_ARG_VARIANCE, a.f32(4, c)},
          {DNNL_ARG_DIFF_SRC, a.f32(5, size)},
          {DNNL_ARG_DIFF_SCALE, a.f32(6, c)},
          {DNNL_ARG_DIFF_SHIFT, a.f32(7, c)}});
  return nullptr;
}

Register r1("batchNorm", batchNorm), r2("batchNormBackward", batchNormBackward),
    r3("batchNormWorkspaceSize", batchNormWorkspaceSize);

}  // namespace
}  // namespace gf
