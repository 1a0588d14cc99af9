#ifndef DATABRAIN_BUILD_INFO_H
#define DATABRAIN_BUILD_INFO_H

/// The source revision the binary was built from ("unknown" unless DATABRAIN_REVISION was set
/// in the environment of `swift build`, as scripts/build-release does).
const char *dbx_build_revision(void);

#endif
