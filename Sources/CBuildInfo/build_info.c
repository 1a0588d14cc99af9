#include "build_info.h"

// Defined by Package.swift from the DATABRAIN_REVISION environment variable. Only this file is
// compiled with it, so a new revision recompiles one C file, not every module.
#ifndef DATABRAIN_REVISION
#define DATABRAIN_REVISION "unknown"
#endif

const char *dbx_build_revision(void) {
    return DATABRAIN_REVISION;
}
