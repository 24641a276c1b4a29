#ifndef DRIFTWATCH_CRDKAFKA_SHIM_H
#define DRIFTWATCH_CRDKAFKA_SHIM_H
// librdkafka's C API and its mock cluster (rdkafka_mock.h must come after rdkafka.h).
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#endif
