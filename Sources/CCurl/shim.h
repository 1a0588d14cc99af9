// Typed wrappers around libcurl's variadic entry points.
// Swift cannot call C variadic functions, so each argument type the exporter passes gets one
// static inline function here; the compiler inlines them away.
#ifndef DATABRAIN_CCURL_SHIM_H
#define DATABRAIN_CCURL_SHIM_H

#include <curl/curl.h>

static inline CURLcode dbx_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode dbx_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode dbx_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode dbx_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode dbx_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode dbx_easy_setopt_write_callback(CURL *handle, CURLoption option, curl_write_callback value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode dbx_easy_setopt_xferinfo_callback(CURL *handle, curl_xferinfo_callback value) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, value);
}

static inline CURLcode dbx_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode dbx_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode dbx_easy_getinfo_string(CURL *handle, CURLINFO info, char **value) {
    return curl_easy_getinfo(handle, info, value);
}

// CURLVERSION_NOW is a macro alias that Swift does not import.
static inline curl_version_info_data *dbx_version_info(void) {
    return curl_version_info(CURLVERSION_NOW);
}

// CURL_GLOBAL_ALL imports as Int32 while curl_global_init takes long.
static inline CURLcode dbx_global_init(void) {
    return curl_global_init(CURL_GLOBAL_ALL);
}

#endif
