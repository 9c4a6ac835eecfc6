#include <emscripten/bind.h>
