#include "common/error.h"

namespace jobindsigt {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kBadArgument:
      return "bad_argument";
    case ErrorCode::kOutputNotEmpty:
      return "output_not_empty";
    case ErrorCode::kOutputUnwritable:
      return "output_unwritable";
    case ErrorCode::kBadCatalog:
      return "bad_catalog";
    case ErrorCode::kIoFailure:
      return "io_failure";
    case ErrorCode::kInterrupted:
      return "interrupted";
    case ErrorCode::kBadStore:
      return "bad_store";
    case ErrorCode::kStoreBusy:
      return "store_busy";
    case ErrorCode::kBadInput:
      return "bad_input";
    case ErrorCode::kNotPublished:
      return "not_published";
    case ErrorCode::kBadQuery:
      return "bad_query";
  }
  return "unknown";
}

}  // namespace jobindsigt
