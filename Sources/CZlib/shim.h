#ifndef DRIFTWATCH_CZLIB_SHIM_H
#define DRIFTWATCH_CZLIB_SHIM_H
#include <zlib.h>
#endif
