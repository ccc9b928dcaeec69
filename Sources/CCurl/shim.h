#ifndef ISPWATCH_CCURL_SHIM_H
#define ISPWATCH_CCURL_SHIM_H

#include <curl/curl.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

// Swift cannot call C variadic functions, so each curl_easy_setopt / curl_easy_getinfo /
// curl_multi_setopt use gets a typed static inline wrapper here. Every wrapper returns the
// CURLcode / CURLMcode untouched: the Swift side checks them all in one place.

static inline CURLcode ispwatch_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ispwatch_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ispwatch_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ispwatch_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ispwatch_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

/// The signature of CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION.
typedef size_t (*ispwatch_data_callback)(char *data, size_t size, size_t count, void *userdata);

static inline CURLcode ispwatch_easy_setopt_data_callback(CURL *handle, CURLoption option,
                                                          ispwatch_data_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

static inline CURLcode ispwatch_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode ispwatch_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode ispwatch_easy_getinfo_string(CURL *handle, CURLINFO info, char **value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode ispwatch_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLMcode ispwatch_multi_setopt_long(CURLM *handle, CURLMoption option, long value) {
    return curl_multi_setopt(handle, option, value);
}

/// The signature of CURLMOPT_SOCKETFUNCTION.
typedef int (*ispwatch_socket_callback)(CURL *easy, curl_socket_t socket, int what, void *userp, void *socketp);

/// The signature of CURLMOPT_TIMERFUNCTION.
typedef int (*ispwatch_timer_callback)(CURLM *multi, long timeout_ms, void *userp);

static inline CURLMcode ispwatch_multi_setopt_pointer(CURLM *handle, CURLMoption option, void *value) {
    return curl_multi_setopt(handle, option, value);
}

static inline CURLMcode ispwatch_multi_setopt_socket_callback(CURLM *handle, ispwatch_socket_callback callback) {
    return curl_multi_setopt(handle, CURLMOPT_SOCKETFUNCTION, callback);
}

static inline CURLMcode ispwatch_multi_setopt_timer_callback(CURLM *handle, ispwatch_timer_callback callback) {
    return curl_multi_setopt(handle, CURLMOPT_TIMERFUNCTION, callback);
}

// MARK: CA store shared across handshakes

/// Loads the PEM certificates of `path` into a new X509 store; NULL when the file cannot be read.
static inline X509_STORE *ispwatch_ca_store_load(const char *path) {
    X509_STORE *store = X509_STORE_new();
    if (store == NULL) {
        return NULL;
    }
    if (X509_STORE_load_file(store, path) != 1) {
        X509_STORE_free(store);
        return NULL;
    }
    return store;
}

static CURLcode ispwatch_install_ca_store(CURL *curl, void *ssl_ctx, void *store) {
    (void)curl;
    SSL_CTX_set1_cert_store((SSL_CTX *)ssl_ctx, (X509_STORE *)store);  // Takes its own reference.
    return CURLE_OK;
}

/// Makes `handle` verify peers against `store` instead of loading its CA file for every new
/// connection: libcurl 7.88 reparses the whole bundle per handshake (~24 ms of CPU for the
/// system bundle). CURLOPT_CAINFO and CURLOPT_CAPATH are cleared so libcurl loads nothing, and
/// CURLOPT_SSL_CTX_FUNCTION hands the shared store to each connection's SSL_CTX.
static inline CURLcode ispwatch_easy_use_ca_store(CURL *handle, X509_STORE *store) {
    CURLcode code = curl_easy_setopt(handle, CURLOPT_CAINFO, (const char *)NULL);
    if (code == CURLE_OK) code = curl_easy_setopt(handle, CURLOPT_CAPATH, (const char *)NULL);
    if (code == CURLE_OK) code = curl_easy_setopt(handle, CURLOPT_SSL_CTX_FUNCTION, ispwatch_install_ca_store);
    if (code == CURLE_OK) code = curl_easy_setopt(handle, CURLOPT_SSL_CTX_DATA, (void *)store);
    return code;
}

/// What the TLS session of a live transfer negotiated.
typedef struct {
    /// 1 when the transfer runs over an OpenSSL session that was read.
    int present;
    /// The protocol version, e.g. "TLSv1.3" (a static string owned by OpenSSL).
    const char *version;
    /// 1 when `earliest_not_after` holds a value.
    int has_expiry;
    /// The earliest notAfter of the peer's certificate chain, in seconds since the Unix epoch.
    int64_t earliest_not_after;
} ispwatch_tls_facts;

/// Reads the TLS version and the earliest certificate expiry of the peer chain from the OpenSSL
/// session of `handle`'s current connection. Valid only while the connection is alive, e.g. from
/// the header callback. Returns the CURLcode of the CURLINFO_TLS_SSL_PTR lookup.
static inline CURLcode ispwatch_read_tls_facts(CURL *handle, ispwatch_tls_facts *facts) {
    struct curl_tlssessioninfo *session = NULL;
    memset(facts, 0, sizeof(*facts));
    CURLcode code = curl_easy_getinfo(handle, CURLINFO_TLS_SSL_PTR, &session);
    if (code != CURLE_OK || session == NULL || session->backend != CURLSSLBACKEND_OPENSSL
        || session->internals == NULL) {
        return code;
    }
    SSL *ssl = (SSL *)session->internals;
    facts->present = 1;
    facts->version = SSL_get_version(ssl);
    // On the client side the chain holds the peer's own certificate first, then what it sent.
    STACK_OF(X509) *chain = SSL_get_peer_cert_chain(ssl);
    int count = chain ? sk_X509_num(chain) : 0;
    for (int index = 0; index < count; index++) {
        const ASN1_TIME *not_after = X509_get0_notAfter(sk_X509_value(chain, index));
        struct tm parts;
        if (not_after == NULL || ASN1_TIME_to_tm(not_after, &parts) != 1) {
            continue;
        }
        int64_t seconds = (int64_t)timegm(&parts);
        if (!facts->has_expiry || seconds < facts->earliest_not_after) {
            facts->earliest_not_after = seconds;
            facts->has_expiry = 1;
        }
    }
    return code;
}

#endif
