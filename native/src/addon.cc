// Node-API module: exports every kernel registered through gf::Register, plus thread control.
#include <omp.h>

#include <stdexcept>

#include "common.h"

namespace gf {

dnnl::engine &engine() {
  static dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  return eng;
}
dnnl::stream &stream() {
  static dnnl::stream s(engine());
  return s;
}

static std::vector<std::pair<const char *, Fn>> &exportsList() {
  static std::vector<std::pair<const char *, Fn>> list;
  return list;
}
void addExport(const char *name, Fn fn) { exportsList().emplace_back(name, fn); }

static std::vector<std::pair<const char *, const OpCodes *>> &opTables() {
  static std::vector<std::pair<const char *, const OpCodes *>> list;
  return list;
}
void addOpTable(const char *name, const OpCodes *codes) { opTables().emplace_back(name, codes); }

static std::vector<std::function<void()>> &clearers() {
  static std::vector<std::function<void()>> list;
  return list;
}
void addCacheClearer(std::function<void()> fn) { clearers().push_back(std::move(fn)); }
void clearCaches() {
  for (auto &fn : clearers()) fn();
}

Args::Args(napi_env e, napi_callback_info info) : env(e) {
  size_t argc = 16;
  napi_value argv[16];
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok) throw ArgError("bad call");
  v.assign(argv, argv + argc);
}

bool Args::isNull(size_t i) const {
  if (i >= v.size()) return true;
  napi_valuetype t;
  napi_typeof(env, v[i], &t);
  return t == napi_null || t == napi_undefined;
}

void *Args::typed(size_t i, napi_typedarray_type want, const char *name, size_t *length) const {
  bool is = false;
  if (i >= v.size() || napi_is_typedarray(env, v[i], &is) != napi_ok || !is)
    throw ArgError("argument " + std::to_string(i) + " must be " + name);
  napi_typedarray_type type;
  void *data;
  napi_value buffer;
  size_t offset;
  napi_get_typedarray_info(env, v[i], &type, length, &data, &buffer, &offset);
  if (type != want) throw ArgError("argument " + std::to_string(i) + " must be " + name);
  return data;
}

float *Args::f32(size_t i, int64_t expected) const {
  size_t length;
  void *data = typed(i, napi_float32_array, "a Float32Array", &length);
  if (expected >= 0 && static_cast<int64_t>(length) != expected)
    throw ArgError("argument " + std::to_string(i) + " has " + std::to_string(length) + " elements, expected " +
                   std::to_string(expected));
  return static_cast<float *>(data);
}

float *Args::f32OrNull(size_t i, int64_t expected) const { return isNull(i) ? nullptr : f32(i, expected); }

std::vector<int64_t> Args::ints(size_t i) const {
  size_t length;
  const int32_t *p = static_cast<const int32_t *>(typed(i, napi_int32_array, "an Int32Array", &length));
  return std::vector<int64_t>(p, p + length);
}

int32_t Args::i32(size_t i) const {
  int32_t out = 0;
  if (i >= v.size() || napi_get_value_int32(env, v[i], &out) != napi_ok)
    throw ArgError("argument " + std::to_string(i) + " must be a number");
  return out;
}

double Args::num(size_t i) const {
  double out = 0;
  if (i >= v.size() || napi_get_value_double(env, v[i], &out) != napi_ok)
    throw ArgError("argument " + std::to_string(i) + " must be a number");
  return out;
}

static napi_value undefinedValue(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

static napi_value number(napi_env env, double x) {
  napi_value out;
  napi_create_double(env, x, &out);
  return out;
}

static napi_value setThreads(const Args &a) {
  int n = a.i32(0);
  if (n < 1) throw ArgError("threads must be >= 1");
  // oneDNN primitives partition their work for the thread count they were created with: start afresh.
  if (n != omp_get_max_threads()) clearCaches();
  omp_set_num_threads(n);
  return number(a.env, omp_get_max_threads());
}
static napi_value getThreads(const Args &a) { return number(a.env, omp_get_max_threads()); }
static napi_value clearCache(const Args &a) {
  clearCaches();
  return undefinedValue(a.env);
}
static Register r1("setThreads", setThreads), r2("getThreads", getThreads), r3("clearCache", clearCache);

}  // namespace gf

// Trampoline: converts C++ exceptions to JS errors.
static napi_value call(napi_env env, napi_callback_info info) {
  gf::Fn fn = nullptr;
  napi_get_cb_info(env, info, nullptr, nullptr, nullptr, reinterpret_cast<void **>(&fn));
  try {
    gf::Args args(env, info);
    napi_value out = fn(args);
    if (out == nullptr) napi_get_undefined(env, &out);
    return out;
  } catch (const gf::ArgError &e) {
    napi_throw_type_error(env, nullptr, e.what());
  } catch (const dnnl::error &e) {
    napi_throw_error(env, nullptr, (std::string("oneDNN: ") + e.what()).c_str());
  } catch (const std::exception &e) {
    napi_throw_error(env, nullptr, e.what());
  }
  return nullptr;
}

static napi_value init(napi_env env, napi_value exports) {
  for (auto &[name, fn] : gf::exportsList()) {
    napi_value f;
    napi_create_function(env, name, NAPI_AUTO_LENGTH, call, reinterpret_cast<void *>(fn), &f);
    napi_set_named_property(env, exports, name, f);
  }
  for (auto &[name, codes] : gf::opTables()) {
    napi_value table;
    napi_create_object(env, &table);
    for (auto &[kernel, code] : *codes) {
      napi_value v;
      napi_create_int32(env, code, &v);
      napi_set_named_property(env, table, kernel, v);
    }
    napi_set_named_property(env, exports, name, table);
  }
  const dnnl_version_t *v = dnnl_version();
  std::string version = std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch);
  napi_value ver;
  napi_create_string_utf8(env, version.c_str(), NAPI_AUTO_LENGTH, &ver);
  napi_set_named_property(env, exports, "onednnVersion", ver);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
