#ifndef TRACKHUB_CCURLSHIM_H
#define TRACKHUB_CCURLSHIM_H

#include <curl/curl.h>

/* curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call.
   These typed wrappers are the only way the Swift code touches them. */

CURLcode th_curl_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode th_curl_easy_setopt_ptr(CURL *handle, CURLoption option, const void *value);
CURLcode th_curl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);
CURLcode th_curl_easy_setopt_write_function(CURL *handle, size_t (*fn)(char *, size_t, size_t, void *));
CURLcode th_curl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode th_curl_easy_getinfo_double(CURL *handle, CURLINFO info, double *value);

#endif
