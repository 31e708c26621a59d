#pragma once
// Monthly facts per municipality that do not come from persons: open vacancies and
// caseworker staffing.

#include "synth/delivery_buffers.h"
#include "synth/world.h"

namespace jobindsigt::synth {

void WriteMunicipalFacts(const World& world, DeliveryBuffers& out);

}  // namespace jobindsigt::synth
