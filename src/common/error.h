#pragma once
// User errors carry a stable code and a message a person can act on. Expected failures are
// returned as values; programmer errors are asserts. See ARCHITECTURE.md, "Errors".

#include <stdexcept>
#include <string>
#include <string_view>

namespace jobindsigt {

enum class ErrorCode {
  kBadArgument,       // a flag or parameter has a value that is not allowed
  kOutputNotEmpty,    // an output folder exists and holds files
  kOutputUnwritable,  // an output folder cannot be created or written
  kBadCatalog,        // a catalogue file is missing, unreadable or inconsistent
  kIoFailure,         // a read or write failed while running
  kInterrupted,       // the run was stopped by a signal
  kBadStore,          // a store file is missing, damaged, foreign or from a newer format
  kStoreBusy,         // another process holds the store's write lock
  kBadInput,          // source deliveries that cannot be taken (missing, out of order)
  kNotPublished,      // an ingest stopped before publishing: a rejected file or too much quarantine
  kBadQuery,          // a statistics query that cannot be answered (engine::QueryError)
};

std::string_view ErrorCodeName(ErrorCode code);

class UserError : public std::runtime_error {
 public:
  UserError(ErrorCode code, const std::string& message)
      : std::runtime_error(message), code_(code) {}
  ErrorCode code() const { return code_; }

 private:
  ErrorCode code_;
};

}  // namespace jobindsigt
