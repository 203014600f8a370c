// Shared plumbing for the kernels: one oneDNN engine/stream, Node-API argument readers, and a
// primitive cache keyed by shape (creating a oneDNN primitive costs far more than running a small one).
#pragma once
#include <node_api.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "oneapi/dnnl/dnnl.hpp"

namespace gf {

using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;
using dims = dnnl::memory::dims;

dnnl::engine &engine();
dnnl::stream &stream();

// Thrown for bad arguments from JS; turned into a JS TypeError by the binding wrapper.
struct ArgError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Args {
  napi_env env;
  std::vector<napi_value> v;
  Args(napi_env env, napi_callback_info info);
  size_t size() const { return v.size(); }
  bool isNull(size_t i) const;
  // Float32Array data pointer (no copy); `expected` elements checked when >= 0.
  float *f32(size_t i, int64_t expected = -1) const;
  float *f32OrNull(size_t i, int64_t expected = -1) const;
  // Int32Array of integer parameters.
  std::vector<int64_t> ints(size_t i) const;
  int32_t i32(size_t i) const;
  double num(size_t i) const;

 private:
  // Argument i's data and element count, when it is a typed array of `type` (named in the error).
  void *typed(size_t i, napi_typedarray_type type, const char *name, size_t *length) const;
};

void clearCaches();
void addCacheClearer(std::function<void()> fn);

// A cache of anything by a key made of integers; emptied by clearCaches() (primitives are made for a
// thread count).
template <typename T>
class Cache {
 public:
  Cache() { addCacheClearer([this] { clear(); }); }
  T *find(const std::vector<int64_t> &key) {
    auto it = map_.find(key);
    return it == map_.end() ? nullptr : it->second.get();
  }
  T *put(const std::vector<int64_t> &key, std::unique_ptr<T> value) {
    T *raw = value.get();
    map_[key] = std::move(value);
    return raw;
  }
  void clear() { map_.clear(); }

 private:
  struct Hash {
    size_t operator()(const std::vector<int64_t> &k) const {
      size_t h = 1469598103934665603ull;
      for (int64_t x : k) h = (h ^ static_cast<size_t>(x)) * 1099511628211ull;
      return h;
    }
  };
  std::unordered_map<std::vector<int64_t>, std::unique_ptr<T>, Hash> map_;
};

// A memory object over caller-owned data; the handle is swapped in before each execution.
inline dnnl::memory userMemory(const dnnl::memory::desc &md) {
  return dnnl::memory(md, engine(), DNNL_MEMORY_NONE);
}

// A primitive and a user memory for each of its arguments (by DNNL_ARG_* id), made once from its
// descriptor; each call points them at the caller's arrays and runs.
struct Bound {
  dnnl::primitive prim;
  std::unordered_map<int, dnnl::memory> memories;
  Bound(const dnnl::primitive_desc_base &pd, dnnl::primitive p, const std::vector<int> &args) : prim(p) {
    for (int arg : args) memories[arg] = userMemory(pd.query_md(dnnl::query::exec_arg_md, arg));
  }
  void run(const std::vector<std::pair<int, void *>> &data) {
    for (const auto &[arg, ptr] : data) memories.at(arg).set_data_handle(ptr);
    prim.execute(stream(), memories);
    stream().wait();
  }
};

// A cache key: the geometry and the flags that change the primitive.
inline std::vector<int64_t> withFlags(std::vector<int64_t> key, std::initializer_list<bool> flags) {
  for (bool flag : flags) key.push_back(flag);
  return key;
}

// A ReLU applied to a primitive's output in the same pass (or no attribute).
inline dnnl::primitive_attr reluAttr(bool relu) {
  dnnl::primitive_attr attr;
  if (relu) {
    dnnl::post_ops ops;
    ops.append_eltwise(1.f, dnnl::algorithm::eltwise_relu, 0.f, 0.f);
    attr.set_post_ops(ops);
  }
  return attr;
}

// Each kernel file registers its functions here; addon.cc exports them.
using Fn = napi_value (*)(const Args &);
void addExport(const char *name, Fn fn);
struct Register {
  Register(const char *name, Fn fn) { addExport(name, fn); }
};
// An op-code table, exported as { kernelName: code }: the TS side builds one kernel per entry, so an op's
// code and the TF.js kernel it implements are written down here, once.
using OpCodes = std::vector<std::pair<const char *, int>>;
void addOpTable(const char *name, const OpCodes *codes);
struct RegisterOps {
  RegisterOps(const char *name, const OpCodes &codes) { addOpTable(name, &codes); }
};

}  // namespace gf
