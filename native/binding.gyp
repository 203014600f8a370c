{
  "targets": [
    {
      "target_name": "gradflow_native",
      "sources": [
        "src/addon.cc",
        "src/conv.cc",
        "src/matmul.cc",
        "src/pool.cc",
        "src/batchnorm.cc",
        "src/elementwise.cc",
        "src/reduce.cc",
        "src/copy.cc"
      ],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc": ["-fexceptions", "-std=c++17", "-fopenmp"],
      "ldflags": ["-fopenmp"],
      "libraries": ["-ldnnl"],
      "conditions": [
        ["OS=='mac'", {
          "include_dirs": ["/opt/homebrew/include", "/opt/homebrew/opt/libomp/include", "/usr/local/include"],
          "libraries": ["-L/opt/homebrew/lib", "-L/opt/homebrew/opt/libomp/lib", "-L/usr/local/lib"]
        }]
      ],
      "xcode_settings": {
        "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "OTHER_CPLUSPLUSFLAGS": ["-Xpreprocessor", "-fopenmp"],
        "OTHER_LDFLAGS": ["-lomp"]
      }
    }
  ]
}
