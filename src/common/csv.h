/* Splitting one line of CSV (RFC 4180 quoting, without line breaks inside a field), for the
 * readers of network tables and accuracy files, and writing fields quoted as needed. libc
 * only. */
#ifndef SR_CSV_H
#define SR_CSV_H

#include <stdio.h>

/* Strips spaces, tabs and a trailing '\r' in place; returns the start. */
char *sr_csv_trim(char *s);

/* Splits line in place at commas into fields[0..max); a field may be double-quoted ("" is
 * a quote inside); fields are trimmed. Returns the number of fields, or -1 with *why set
 * ("too many fields", "unterminated quoted field", ...). */
int sr_csv_split(char *line, char **fields, int max, const char **why);

/* Writes t as one field: as it is, or double-quoted when it holds a comma, a quote, a line
 * break or spaces at either end. */
void sr_csv_put_text(FILE *out, const char *t);

/* Writes v with up to 10 significant digits; nothing (an empty field) for NAN. */
void sr_csv_put_number(FILE *out, double v);

#endif
