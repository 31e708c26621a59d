#pragma once
// Rows waiting to be written, by delivery month and source file. A worker fills one of these
// for a chunk of persons; the writer appends the chunks to the files in person order.

#include <string>
#include <vector>

#include "common/date.h"
#include "synth/source_files.h"

namespace jobindsigt::synth {

class DeliveryBuffers {
 public:
  DeliveryBuffers(MonthIndex first_delivery, MonthIndex last_delivery)
      : first_(first_delivery),
        last_(last_delivery),
        buffers_(static_cast<size_t>(last_delivery - first_delivery + 1) * kSourceFileCount) {}

  // The buffer for a row first seen in `delivery`; history before the first delivery goes
  // into the first one. nullptr when the delivery lies after the last month: the row is not
  // reported yet at the cut-off.
  std::string* Row(MonthIndex delivery, SourceFile file) {
    if (delivery > last_) return nullptr;
    if (delivery < first_) delivery = first_;
    return &buffers_[Index(delivery, file)];
  }

  const std::string& Buffer(MonthIndex delivery, SourceFile file) const {
    return buffers_[Index(delivery, file)];
  }

  size_t TotalBytes() const {
    size_t total = 0;
    for (const auto& buffer : buffers_) total += buffer.size();
    return total;
  }

  MonthIndex first_delivery() const { return first_; }
  MonthIndex last_delivery() const { return last_; }

 private:
  size_t Index(MonthIndex delivery, SourceFile file) const {
    return static_cast<size_t>(delivery - first_) * kSourceFileCount + static_cast<size_t>(file);
  }

  MonthIndex first_;
  MonthIndex last_;
  std::vector<std::string> buffers_;
};

}  // namespace jobindsigt::synth
