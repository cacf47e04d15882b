/* 64-bit FNV-1a: a fingerprint of bytes (not a cryptographic hash). */
#ifndef SR_HASH_H
#define SR_HASH_H

#include <stddef.h>
#include <stdint.h>

#define SR_HASH_SEED 0xcbf29ce484222325ULL

/* The hash of n bytes at data, continuing from h (SR_HASH_SEED to start). */
uint64_t sr_hash_bytes(uint64_t h, const void *data, size_t n);

/* The same over s and its terminating 0 (so that "ab","c" and "a","bc" differ). */
uint64_t sr_hash_str(uint64_t h, const char *s);

#endif
