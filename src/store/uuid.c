/* UUIDs for hosts, devices, runs and rows, and the timestamps stored with them. Random
 * ones (version 4) come from /dev/urandom, falling back to time, pid and a counter mixed
 * together; derived ones (version 8) hash what identifies a thing, so the same machine or
 * device gets the same UUID in every database and merges into one row. */
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/store_internal.h"

static uint64_t mix64(uint64_t z) /* splitmix64's finalizer */
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void format_uuid(char out[SR_UUID_LEN], uint8_t b[16], int version)
{
    b[6] = (uint8_t)((b[6] & 0x0f) | (version << 4));
    b[8] = (uint8_t)((b[8] & 0x3f) | 0x80); /* RFC 9562 variant */
    static const char hex[] = "0123456789abcdef";
    char *p = out;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            *p++ = '-';
        *p++ = hex[b[i] >> 4];
        *p++ = hex[b[i] & 15];
    }
    *p = '\0';
}

static int read_urandom(uint8_t *buf, size_t n)
{
    int fd = open("/dev/urandom", O_RDONLY);
    if (fd < 0)
        return 0;
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    return got == n;
}

void store_uuid_random(char out[SR_UUID_LEN])
{
    uint8_t b[16];
    if (!read_urandom(b, sizeof b)) {
        static uint64_t counter;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        uint64_t seed = ((uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec) ^
                        ((uint64_t)getpid() << 32) ^ ++counter;
        uint64_t h = mix64(seed), l = mix64(seed ^ 0x9e3779b97f4a7c15ULL);
        for (int i = 0; i < 8; i++) {
            b[i] = (uint8_t)(h >> (8 * i));
            b[8 + i] = (uint8_t)(l >> (8 * i));
        }
    }
    format_uuid(out, b, 4);
}

void store_uuid_derive(char out[SR_UUID_LEN], const char *const *parts, size_t n)
{
    /* Two FNV-1a streams with different offsets, each finished by mix64: not a
     * cryptographic hash, only a stable spread. A separator byte keeps ("ab","c") apart
     * from ("a","bc"). */
    uint64_t h1 = 0xcbf29ce484222325ULL, h2 = 0x84222325cbf29ce4ULL;
    for (size_t i = 0; i < n; i++) {
        for (const unsigned char *c = (const unsigned char *)(parts[i] ? parts[i] : ""); *c; c++) {
            h1 = (h1 ^ *c) * 0x100000001b3ULL;
            h2 = (h2 ^ *c) * 0x100000001b3ULL ^ (h2 >> 29);
        }
        h1 = (h1 ^ 0x1f) * 0x100000001b3ULL;
        h2 = (h2 ^ 0x1f) * 0x100000001b3ULL ^ (h2 >> 29);
    }
    h1 = mix64(h1);
    h2 = mix64(h2 ^ h1);
    uint8_t b[16];
    for (int i = 0; i < 8; i++) {
        b[i] = (uint8_t)(h1 >> (56 - 8 * i));
        b[8 + i] = (uint8_t)(h2 >> (56 - 8 * i));
    }
    format_uuid(out, b, 8);
}

int store_uuid_valid(const char *t)
{
    if (!t || strlen(t) != 36)
        return 0;
    for (int i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (t[i] != '-')
                return 0;
        } else if (!isxdigit((unsigned char)t[i])) {
            return 0;
        }
    }
    return 1;
}

void store_now(char out[32])
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    char date[24];
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, 32, "%s.%03dZ", date, (int)(ts.tv_nsec / 1000000));
}
