#include "build_info.h"

// Defined by Package.swift from the environment of `swift build` (scripts/build-release sets
// them). Only this file is compiled with them, so a new build recompiles one C file, not every module.
#ifndef DATABRAIN_REVISION
#define DATABRAIN_REVISION "unknown"
#endif
#ifndef DATABRAIN_BRANCH
#define DATABRAIN_BRANCH "unknown"
#endif
#ifndef DATABRAIN_BUILD_USER
#define DATABRAIN_BUILD_USER "unknown"
#endif
#ifndef DATABRAIN_BUILD_DATE
#define DATABRAIN_BUILD_DATE "unknown"
#endif

const char *dbx_build_revision(void) { return DATABRAIN_REVISION; }
const char *dbx_build_branch(void) { return DATABRAIN_BRANCH; }
const char *dbx_build_user(void) { return DATABRAIN_BUILD_USER; }
const char *dbx_build_date(void) { return DATABRAIN_BUILD_DATE; }
