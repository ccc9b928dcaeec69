#ifndef ISPWATCH_CLABTLS_SHIM_H
#define ISPWATCH_CLABTLS_SHIM_H

// The lab's OpenSSL calls: certificates made at start-up and TLS on the portal's accepted sockets.
// Macros and multi-step X509 recipes are wrapped here so that Swift sees a few typed functions.

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

/// A fresh P-256 key, or NULL.
static inline EVP_PKEY *lab_tls_generate_key(void) {
    return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
}

static inline int lab_tls_add_extension(X509 *certificate, X509V3_CTX *context, int nid, const char *value) {
    X509_EXTENSION *extension = X509V3_EXT_conf_nid(NULL, context, nid, value);
    if (extension == NULL) return 0;
    int added = X509_add_ext(certificate, extension, -1);
    X509_EXTENSION_free(extension);
    return added;
}

/// A certificate for `key` named `common_name`, valid from now + `not_before_seconds` to now +
/// `not_after_seconds` (negative: in the past), signed by `issuer_key` under `issuer` (both NULL:
/// self-signed). `subject_alt_name` is an OpenSSL SAN value ("IP:127.0.0.11") or NULL. NULL on failure.
static inline X509 *lab_tls_make_certificate(
    EVP_PKEY *key, const char *common_name, const char *subject_alt_name, int is_authority,
    long not_before_seconds, long not_after_seconds, long serial, X509 *issuer, EVP_PKEY *issuer_key)
{
    X509 *certificate = X509_new();
    if (certificate == NULL) return NULL;
    int ok = X509_set_version(certificate, 2)
        && ASN1_INTEGER_set(X509_get_serialNumber(certificate), serial)
        && X509_gmtime_adj(X509_getm_notBefore(certificate), not_before_seconds) != NULL
        && X509_gmtime_adj(X509_getm_notAfter(certificate), not_after_seconds) != NULL
        && X509_set_pubkey(certificate, key);
    X509_NAME *name = X509_get_subject_name(certificate);
    ok = ok && X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)common_name, -1, -1, 0);
    ok = ok && X509_set_issuer_name(certificate, issuer ? X509_get_subject_name(issuer) : name);
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, issuer ? issuer : certificate, certificate, NULL, NULL, 0);
    if (is_authority) {
        ok = ok && lab_tls_add_extension(certificate, &context, NID_basic_constraints, "critical,CA:TRUE")
            && lab_tls_add_extension(certificate, &context, NID_key_usage, "critical,keyCertSign,cRLSign")
            && lab_tls_add_extension(certificate, &context, NID_subject_key_identifier, "hash");
    } else {
        ok = ok && lab_tls_add_extension(certificate, &context, NID_basic_constraints, "CA:FALSE")
            && lab_tls_add_extension(certificate, &context, NID_key_usage, "critical,digitalSignature")
            && lab_tls_add_extension(certificate, &context, NID_ext_key_usage, "serverAuth");
        if (subject_alt_name != NULL) {
            ok = ok && lab_tls_add_extension(certificate, &context, NID_subject_alt_name, subject_alt_name);
        }
    }
    ok = ok && X509_sign(certificate, issuer_key ? issuer_key : key, EVP_sha256()) > 0;
    if (!ok) {
        X509_free(certificate);
        return NULL;
    }
    return certificate;
}

/// Writes `certificate` as PEM to `path`; 1 on success.
static inline int lab_tls_write_certificate(X509 *certificate, const char *path) {
    BIO *file = BIO_new_file(path, "w");
    if (file == NULL) return 0;
    int ok = PEM_write_bio_X509(file, certificate);
    BIO_free(file);
    return ok;
}

/// A server context presenting `certificate` with `key`, or NULL.
static inline SSL_CTX *lab_tls_server_context(X509 *certificate, EVP_PKEY *key) {
    SSL_CTX *context = SSL_CTX_new(TLS_server_method());
    if (context == NULL) return NULL;
    if (SSL_CTX_use_certificate(context, certificate) != 1 || SSL_CTX_use_PrivateKey(context, key) != 1) {
        SSL_CTX_free(context);
        return NULL;
    }
    return context;
}

/// The last OpenSSL error of this thread as text (into `buffer`), clearing the queue.
static inline const char *lab_tls_last_error(char *buffer, size_t size) {
    unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0) return "no OpenSSL error recorded";
    ERR_error_string_n(code, buffer, size);
    return buffer;
}

#endif
