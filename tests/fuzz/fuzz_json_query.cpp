// libFuzzer target: the input bytes are the body of POST /api/v1/data. The strict JSON query
// parser (server/query_request.h) and the catalogue-level resolution run on it. See
// fuzz_support.h for what counts as a finding.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.h"
#include "server/query_request.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace jobindsigt;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  fuzz::ExpectOnlyQueryErrors([&] {
    const engine::Query query = server::ParseQueryRequest(body);
    fuzz::Resolve(query);
  });
  return 0;
}
