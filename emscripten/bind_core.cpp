// Types every area shares: Status and the plain dtypes.
#include <emscripten/bind.h>

#include "core/dtype.hpp"
#include "core/status.hpp"

using namespace emscripten;
using namespace llmst;

EMSCRIPTEN_BINDINGS(core) {
  value_object<Status>("Status")
      .field("ok", &Status::ok)
      .field("field", &Status::field)
      .field("message", &Status::message);

  value_object<DtypeInfo>("DtypeInfo")
      .field("id", &DtypeInfo::id)
      .field("label", &DtypeInfo::label)
      .field("bits", &DtypeInfo::bits);
  register_vector<DtypeInfo>("VectorDtypeInfo");
  register_vector<double>("VectorDouble");
  register_vector<std::string>("VectorString");

  function("plainDtypes", &plain_dtypes);
}
