// libFuzzer target: the input bytes are the raw query string of GET /api/v1/data (what follows
// the '?'). cpp-httplib splits and URL-decodes it into parameters exactly as the server does,
// then the handler's format choice, the GET-parameter parser (server/data_request.h) and the
// catalogue-level resolution run on it. See fuzz_support.h for what counts as a finding.

#include <httplib.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "server/data_handler.h"
#include "server/data_request.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace jobindsigt;
  const std::string text(reinterpret_cast<const char*>(data), size);
  httplib::Request request;
  httplib::detail::parse_query_text(text, request.params);
  fuzz::ExpectOnlyQueryErrors([&] {
    server::ChooseFormat(request.get_param_value(server::kFormatParameter), "");
    const server::QueryParameters parameters(request.params.begin(), request.params.end());
    const engine::Query query =
        server::QueryFromParameters(parameters, fuzz::TheCatalogue().last_month);
    fuzz::Resolve(query);
  });
  return 0;
}
