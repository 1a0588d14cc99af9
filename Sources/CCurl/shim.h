// Typed wrappers around libcurl's variadic entry points, and the share handle's locks.
// Swift cannot call C variadic functions, so each argument type the exporter passes gets one
// static inline function here; the compiler inlines them away.
#ifndef DATABRAIN_CCURL_SHIM_H
#define DATABRAIN_CCURL_SHIM_H

#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/prctl.h>

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

static inline CURLcode dbx_easy_setopt_prereq_callback(CURL *handle, curl_prereq_callback value) {
    return curl_easy_setopt(handle, CURLOPT_PREREQFUNCTION, value);
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

static inline CURLMcode dbx_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}

// libcurl calls these around every access to data a share handle holds; `userptr` is the array
// of one mutex per curl_lock_data that dbx_share_ssl_sessions allocates.
static void dbx_share_lock(CURL *handle, curl_lock_data data, curl_lock_access access, void *userptr) {
    (void)handle;
    (void)access;
    pthread_mutex_lock(&((pthread_mutex_t *)userptr)[data]);
}

static void dbx_share_unlock(CURL *handle, curl_lock_data data, void *userptr) {
    (void)handle;
    pthread_mutex_unlock(&((pthread_mutex_t *)userptr)[data]);
}

// A share handle holding TLS sessions, so a new connection to an origin resumes the session
// another transfer negotiated. The lock callbacks are what libcurl requires of a share whose
// handles may run on more than one thread. Returns NULL on allocation failure; *locks receives
// what dbx_share_release frees.
static inline CURLSH *dbx_share_ssl_sessions(void **locks) {
    pthread_mutex_t *mutexes = calloc(CURL_LOCK_DATA_LAST, sizeof(pthread_mutex_t));
    CURLSH *share = mutexes ? curl_share_init() : NULL;
    if (!share) {
        free(mutexes);
        return NULL;
    }
    for (int i = 0; i < CURL_LOCK_DATA_LAST; i++) pthread_mutex_init(&mutexes[i], NULL);
    curl_share_setopt(share, CURLSHOPT_LOCKFUNC, dbx_share_lock);
    curl_share_setopt(share, CURLSHOPT_UNLOCKFUNC, dbx_share_unlock);
    curl_share_setopt(share, CURLSHOPT_USERDATA, (void *)mutexes);
    curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    *locks = mutexes;
    return share;
}

// Frees a share handle once no easy handle uses it, then its locks.
static inline void dbx_share_release(CURLSH *share, void *locks) {
    curl_share_cleanup(share);
    for (int i = 0; i < CURL_LOCK_DATA_LAST; i++) pthread_mutex_destroy(&((pthread_mutex_t *)locks)[i]);
    free(locks);
}

// Names the calling thread (the engine's shows as curl-engine in /proc/PID/task/*/comm); prctl is
// variadic and pthread_setname_np a GNU extension, neither of which Swift imports.
static inline void dbx_name_this_thread(const char *name) {
    prctl(PR_SET_NAME, name, 0, 0, 0);
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
