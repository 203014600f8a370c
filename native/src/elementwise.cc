// Elementwise unary and broadcasting binary float32 ops, OpenMP-parallel. The cpu backend runs these in JS with
// per-element index arithmetic for broadcasts, which dominates a batch-norm-heavy training step.
#include <omp.h>

#include <cmath>

#include "common.h"

namespace gf {
namespace {

constexpr int64_t kParallelMin = 1 << 15;  // below this, threading costs more than it saves

enum Unary { kRelu, kStep, kSquare, kNeg, kSqrt, kRsqrt, kExp, kLog, kAbs, kSigmoid, kTanh, kRelu6 };

template <typename F>
void mapUnary(const float *__restrict x, float *__restrict y, int64_t n, F f) {
#pragma omp parallel for schedule(static) if (n > kParallelMin)
  for (int64_t i = 0; i < n; ++i) y[i] = f(x[i]);
}

// unary(op, x, y, alpha)
napi_value unary(const Args &a) {
  int op = a.i32(0);
  float *x = a.f32(1);
  napi_typedarray_type type;
  size_t n;
  void *data;
  napi_value buffer;
  size_t offset;
  napi_get_typedarray_info(a.env, a.v[1], &type, &n, &data, &buffer, &offset);
  float *y = a.f32(2, static_cast<int64_t>(n));
  float alpha = static_cast<float>(a.num(3));
  int64_t len = static_cast<int64_t>(n);
  switch (op) {
    case kRelu: mapUnary(x, y, len, [](float v) { return v < 0.f ? 0.f : v; }); break;
    case kRelu6: mapUnary(x, y, len, [](float v) { return v < 0.f ? 0.f : (v > 6.f ? 6.f : v); }); break;
    case kStep: mapUnary(x, y, len, [alpha](float v) { return std::isnan(v) ? v : (v > 0.f ? 1.f : alpha); }); break;
    case kSquare: mapUnary(x, y, len, [](float v) { return v * v; }); break;
    case kNeg: mapUnary(x, y, len, [](float v) { return -v; }); break;
    case kSqrt: mapUnary(x, y, len, [](float v) { return std::sqrt(v); }); break;
    case kRsqrt: mapUnary(x, y, len, [](float v) { return 1.f / std::sqrt(v); }); break;
    case kExp: mapUnary(x, y, len, [](float v) { return std::exp(v); }); break;
    case kLog: mapUnary(x, y, len, [](float v) { return std::log(v); }); break;
    case kAbs: mapUnary(x, y, len, [](float v) { return std::fabs(v); }); break;
    case kSigmoid: mapUnary(x, y, len, [](float v) { return 1.f / (1.f + std::exp(-v)); }); break;
    case kTanh: mapUnary(x, y, len, [](float v) { return std::tanh(v); }); break;
    default: throw ArgError("unknown unary op " + std::to_string(op));
  }
  return nullptr;
}

// kReluGrad: a = dy, b = the ReLU's input; one pass instead of tfjs's dy * step(x).
enum Binary { kAdd, kSub, kMul, kDiv, kSquaredDifference, kMaximum, kMinimum, kReluGrad };

// A three-level strided view of a broadcast: out[p, o, i] = f(a[p*aP + o*aO + i*aI], b[p*bP + o*bO + i*bI]),
// inner strides 0 (broadcast) or 1. The TS side folds any broadcast of up to three runs into this form.
struct View {
  int64_t planes, outer, inner, aP, aO, aI, bP, bO, bI;
};

template <typename F>
void mapBinary(const float *a, const float *b, float *__restrict out, const View &v, F f) {
  const int64_t rows = v.planes * v.outer;
  const int64_t total = rows * v.inner;
#pragma omp parallel for schedule(static) if (total > kParallelMin)
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t p = r / v.outer, o = r % v.outer;
    const float *__restrict ap = a + p * v.aP + o * v.aO;
    const float *__restrict bp = b + p * v.bP + o * v.bO;
    float *__restrict op = out + r * v.inner;
    const int64_t n = v.inner;
    // Separate loops per stride pattern so each one vectorises.
    if (v.aI == 1 && v.bI == 1) {
      for (int64_t i = 0; i < n; ++i) op[i] = f(ap[i], bp[i]);
    } else if (v.aI == 1) {
      const float bv = bp[0];
      for (int64_t i = 0; i < n; ++i) op[i] = f(ap[i], bv);
    } else if (v.bI == 1) {
      const float av = ap[0];
      for (int64_t i = 0; i < n; ++i) op[i] = f(av, bp[i]);
    } else {
      const float c = f(ap[0], bp[0]);
      for (int64_t i = 0; i < n; ++i) op[i] = c;
    }
  }
}

int64_t lengthOf(const Args &args, size_t i) {
  napi_typedarray_type type;
  size_t n;
  void *data;
  napi_value buffer;
  size_t offset;
  napi_get_typedarray_info(args.env, args.v[i], &type, &n, &data, &buffer, &offset);
  return static_cast<int64_t>(n);
}

// binary(op, a, b, out, [planes, outer, inner, aP, aO, aI, bP, bO, bI])
napi_value binary(const Args &args) {
  int op = args.i32(0);
  auto p = args.ints(4);
  if (p.size() < 9) throw ArgError("binary geometry needs 9 integers");
  View v{p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8]};
  if ((v.aI != 0 && v.aI != 1) || (v.bI != 0 && v.bI != 1)) throw ArgError("binary inner strides must be 0 or 1");
  const float *a = args.f32(1), *b = args.f32(2);
  float *out = args.f32(3, v.planes * v.outer * v.inner);
  // The largest index each view reaches must lie inside its array.
  auto last = [&](int64_t sp, int64_t so, int64_t si) {
    return (v.planes - 1) * sp + (v.outer - 1) * so + (v.inner - 1) * si;
  };
  if (last(v.aP, v.aO, v.aI) >= lengthOf(args, 1) || last(v.bP, v.bO, v.bI) >= lengthOf(args, 2))
    throw ArgError("binary strides exceed the inputs");
  switch (op) {
    case kAdd: mapBinary(a, b, out, v, [](float x, float y) { return x + y; }); break;
    case kSub: mapBinary(a, b, out, v, [](float x, float y) { return x - y; }); break;
    case kMul: mapBinary(a, b, out, v, [](float x, float y) { return x * y; }); break;
    case kDiv: mapBinary(a, b, out, v, [](float x, float y) { return x / y; }); break;
    case kSquaredDifference: mapBinary(a, b, out, v, [](float x, float y) { return (x - y) * (x - y); }); break;
    case kMaximum: mapBinary(a, b, out, v, [](float x, float y) { return std::isnan(x) || x > y ? x : y; }); break;
    case kMinimum: mapBinary(a, b, out, v, [](float x, float y) { return std::isnan(x) || x < y ? x : y; }); break;
    case kReluGrad: mapBinary(a, b, out, v, [](float dy, float x) { return x > 0.f ? dy : (std::isnan(x) ? x : 0.f); }); break;
    default: throw ArgError("unknown binary op " + std::to_string(op));
  }
  return nullptr;
}

Register r1("unary", unary), r2("binary", binary);

// The TF.js kernel each code implements (GradflowReluGrad is gradflow's own: ReLU's gradient in one pass).
const OpCodes kUnaryCodes = {{"Relu", kRelu},   {"Step", kStep}, {"Square", kSquare},   {"Neg", kNeg},
                             {"Sqrt", kSqrt},   {"Rsqrt", kRsqrt}, {"Exp", kExp},     {"Log", kLog},
                             {"Abs", kAbs},     {"Sigmoid", kSigmoid}, {"Tanh", kTanh}, {"Relu6", kRelu6}};
const OpCodes kBinaryCodes = {{"Add", kAdd},         {"Sub", kSub},
                              {"Multiply", kMul},    {"RealDiv", kDiv},
                              {"SquaredDifference", kSquaredDifference},
                              {"Maximum", kMaximum}, {"Minimum", kMinimum},
                              {"GradflowReluGrad", kReluGrad}};
RegisterOps t1("unaryOps", kUnaryCodes), t2("binaryOps", kBinaryCodes);

}  // namespace
}  // namespace gf
