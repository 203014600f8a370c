// Entry point when installed as the `gradflow-native` package: the compiled addon itself.
module.exports = require('./build/Release/gradflow_native.node');
