// libxcrypt's crypt_r for bcrypt password hashes ($2a$, $2b$, $2y$), wrapped so Swift needs no
// knowledge of the 32 KiB crypt_data struct, and the comparison takes the same time whatever
// the input.
#include <crypt.h>
#include <stdlib.h>
#include <string.h>

/// 1 if `password` hashes to `hash` (a full crypt(3) string), else 0. Constant-time comparison.
static inline int dbx_crypt_matches(const char *password, const char *hash) {
    struct crypt_data *data = calloc(1, sizeof(struct crypt_data));
    if (data == NULL) return 0;
    const char *computed = crypt_r(password, hash, data);
    int matches = 0;
    if (computed != NULL && computed[0] != '*') {
        size_t expected = strlen(hash);
        size_t actual = strlen(computed);
        unsigned char difference = (unsigned char)(expected != actual);
        size_t length = expected < actual ? expected : actual;
        for (size_t i = 0; i < length; i++) difference |= (unsigned char)(computed[i] ^ hash[i]);
        matches = difference == 0;
    }
    explicit_bzero(data, sizeof(struct crypt_data));
    free(data);
    return matches;
}
