// glibc's mallopt and its parameters (malloc.h is not in Swift's Glibc module). Part of libc:
// nothing to link. AllocatorTuning.swift says why the exporter sets them.
#include <malloc.h>
