// Debian's libyaml (libyaml-dev to build, libyaml-0-2 at run time): the YAML parser behind
// --config.file and --web.config.file. Its API has no variadic calls, so nothing to wrap.
#include <yaml.h>
