#pragma once
// A query that cannot be answered: a stable reason code (e.g. `unknown_statistic`), the
// offending field as a path into the request (`breakdowns[0].bands[1]`) and a message that
// says what was wrong and what is allowed. The server maps it to problem+json (400/422).

#include <string>

#include "common/error.h"

namespace jobindsigt::engine {

class QueryError : public UserError {
 public:
  QueryError(std::string reason, std::string field, const std::string& message)
      : UserError(ErrorCode::kBadQuery, message),
        reason_(std::move(reason)),
        field_(std::move(field)) {}
  const std::string& reason() const { return reason_; }
  const std::string& field() const { return field_; }

 private:
  std::string reason_;
  std::string field_;
};

}  // namespace jobindsigt::engine
