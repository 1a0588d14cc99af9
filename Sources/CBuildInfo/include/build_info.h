#ifndef DATABRAIN_BUILD_INFO_H
#define DATABRAIN_BUILD_INFO_H

/// What the build was made from and by ("unknown" unless DATABRAIN_REVISION, DATABRAIN_BRANCH,
/// DATABRAIN_BUILD_USER and DATABRAIN_BUILD_DATE were set in the environment of `swift build`, as
/// scripts/build-release does).
const char *dbx_build_revision(void);
const char *dbx_build_branch(void);
const char *dbx_build_user(void);
const char *dbx_build_date(void);

#endif
