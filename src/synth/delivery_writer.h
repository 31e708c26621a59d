#pragma once
// Turns a person's life into the rows of the monthly deliveries: first reports (some late),
// open records closed by later versions, corrections, erroneous records deleted later, and
// the monthly payment and employment facts.

#include "synth/delivery_buffers.h"
#include "synth/person_life.h"
#include "synth/world.h"

namespace jobindsigt::synth {

void WritePersonRows(const World& world, const PersonLife& life, DeliveryBuffers& out);

// The monthly facts of the legacy finance file and the employment register (monthly_facts.cpp).
void WritePaymentRows(const World& world, const PersonLife& life, DeliveryBuffers& out);
// Employment covers persons who have been on a benefit: the months from the first day of the
// earliest benefit record delivered for them (`first_benefit`, kNever: none).
void WriteEmploymentRows(const World& world, const PersonLife& life, DayNumber first_benefit,
                         DeliveryBuffers& out);

}  // namespace jobindsigt::synth
