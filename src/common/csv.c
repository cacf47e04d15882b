/* One line of CSV split in place, and fields written (common/csv.h). */
#include "common/csv.h"

#include <math.h>
#include <string.h>

char *sr_csv_trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

int sr_csv_split(char *line, char **fields, int max, const char **why)
{
    int n = 0;
    char *p = line;
    for (;;) {
        if (n == max) {
            *why = "too many fields";
            return -1;
        }
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '"') {
            char *out = ++p;
            fields[n++] = out;
            for (;; p++) {
                if (!*p) {
                    *why = "unterminated quoted field";
                    return -1;
                }
                if (*p == '"' && p[1] == '"') {
                    *out++ = '"';
                    p++;
                } else if (*p == '"') {
                    break;
                } else {
                    *out++ = *p;
                }
            }
            *out = '\0';
            for (p++; *p == ' ' || *p == '\t' || *p == '\r'; p++)
                ;
            if (*p && *p != ',') {
                *why = "text after a closing quote";
                return -1;
            }
        } else {
            fields[n++] = p;
            p += strcspn(p, ",");
        }
        if (*p != ',') {
            *p = '\0';
            break;
        }
        *p++ = '\0';
    }
    for (int i = 0; i < n; i++)
        fields[i] = sr_csv_trim(fields[i]);
    return n;
}

void sr_csv_put_text(FILE *out, const char *t)
{
    if (!strpbrk(t, ",\"\r\n") && t[0] != ' ' && (t[0] == '\0' || t[strlen(t) - 1] != ' ')) {
        fputs(t, out);
        return;
    }
    fputc('"', out);
    for (; *t; t++) {
        if (*t == '"')
            fputc('"', out);
        fputc(*t, out);
    }
    fputc('"', out);
}

void sr_csv_put_number(FILE *out, double v)
{
    if (!isnan(v))
        fprintf(out, "%.10g", v);
}
